import json

from django import template
from django.utils.safestring import mark_safe

from warta.core.markup import lazy_images as _lazy_images

register = template.Library()


@register.filter
def lazy_images(html):
    return _lazy_images(html)


@register.simple_tag(takes_context=True)
def absolute(context, url):
    if url.startswith(("http://", "https://")):
        return url
    return context["request"].build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def article_json_ld(context, post, url):
    """schema.org NewsArticle, with the wire credit as ``sourceOrganization``."""
    blog = context["blog"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title[:110],
        "url": url,
        "datePublished": post.published_at.isoformat(),
        "dateModified": post.updated_at.isoformat(),
        "inLanguage": blog.language,
        "publisher": {"@type": "Organization", "name": blog.title},
        "commentCount": post.comment_count,
    }
    if post.author:
        data["author"] = {"@type": "Person", "name": post.author.name}
    if post.lead_image:
        data["image"] = absolute(context, post.lead_image.url)
    if post.source_name:
        data["sourceOrganization"] = {"@type": "Organization", "name": post.source_name}
        if post.source_url:
            data["sourceOrganization"]["url"] = post.source_url
    text = json.dumps(data, ensure_ascii=False)
    # "</" would end the script element early; JSON allows escaping it.
    return mark_safe(text.replace("</", "<\\/"))
