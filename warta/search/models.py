from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """One published post or page as the full-text index sees it: the stems of its title and
    of its text, made in Python (``stemmer.stems``) so both databases index the same words.

    The database keeps its own index from these rows (FTS5 on SQLite, a weighted tsvector
    on PostgreSQL: see ``sql.py``), and deletes a row when its post or page is deleted,
    however that happens. Plain ids, not foreign keys: the rows go with their post through
    those triggers, and an import may write posts before their documents."""

    blog_id = models.BigIntegerField()
    post_id = models.BigIntegerField(null=True, unique=True)
    page_id = models.BigIntegerField(null=True, unique=True)
    language = models.CharField(max_length=5)
    # When readers may see it; the search shows only documents published by now.
    published_at = models.DateTimeField()
    title = models.TextField()
    body = models.TextField()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [models.Index(fields=["blog_id", "-published_at"], name="search_doc_blog")]

    def __str__(self):
        return f"{'post' if self.post_id else 'page'} {self.post_id or self.page_id}"
