from django.contrib import admin

from .models import Blog, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Blog)
class BlogAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "custom_domain", "language", "comment_policy"]
    search_fields = ["title", "slug", "custom_domain"]
    inlines = [MembershipInline]
