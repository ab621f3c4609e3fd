from django.contrib import admin

from .models import Image, Label, Page, Post, Redirect


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "blog", "status", "published_at", "comment_count"]
    list_filter = ["status", "blog"]
    search_fields = ["title"]
    raw_id_fields = ["author", "lead_image"]
    filter_horizontal = ["labels"]


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["title", "blog", "status", "path"]


admin.site.register(Label)
admin.site.register(Image)
admin.site.register(Redirect)
