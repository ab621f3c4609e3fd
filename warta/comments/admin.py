from django.contrib import admin

from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["display_name", "post", "status", "created_at"]
    list_filter = ["status", "blog"]
    raw_id_fields = ["post", "parent", "user"]
