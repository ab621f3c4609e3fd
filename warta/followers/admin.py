from django.contrib import admin

from .models import Mailing, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "blog", "status", "frequency", "source", "created_at"]
    list_filter = ["status", "frequency", "source"]
    search_fields = ["email"]
    raw_id_fields = ["user"]


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "blog", "status", "sent_count", "failed_count", "created_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["post"]
