"""Blog generations: one integer per blog that every cached page of that blog is keyed by."""

from django.core.cache import cache


def _key(blog_id):
    return f"blog-generation:{blog_id}"


def current_generation(blog_id):
    generation = cache.get(_key(blog_id))
    if generation is None:
        from warta.blogs.models import Blog

        generation = Blog.objects.filter(pk=blog_id).values_list("generation", flat=True).first()
        cache.set(_key(blog_id), generation, 300)
    return generation


def forget_generation(blog_id):
    cache.delete(_key(blog_id))
