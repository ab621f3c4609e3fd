"""What an article page says about itself to machines."""

import json

from markupsafe import Markup

LOGO_SIZE = 512  # warta/core/static/warta/logo.png


def publisher(blog, blog_url, logo_url):
    """The blog as schema.org's Organization, with the logo Google asks of a news publisher."""
    data = {"@type": "Organization", "name": blog.title, "url": blog_url}
    if logo_url:
        data["logo"] = {
            "@type": "ImageObject",
            "url": logo_url,
            "width": LOGO_SIZE,
            "height": LOGO_SIZE,
        }
    return data


def authors(post, author_url=""):
    """Every byline of the post, in order; the first links to their page on this blog."""
    names = list(post.byline_names or []) or ([post.author.name] if post.author else [])
    people = [{"@type": "Person", "name": name} for name in names]
    if people and author_url:
        people[0]["url"] = author_url
    return people


def as_script(data):
    text = json.dumps(data, ensure_ascii=False)
    # "</" would end the script element early; JSON allows escaping it.
    return Markup(text.replace("</", "<\\/"))


def blog_json_ld(blog, *, blog_url, logo_url="", search_url=""):
    """The home page: schema.org WebSite, published by the blog, with its search."""
    data = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": blog.title,
        "url": blog_url,
        "inLanguage": blog.language,
        "publisher": publisher(blog, blog_url, logo_url),
    }
    if blog.description or blog.tagline:
        data["description"] = blog.description or blog.tagline
    if search_url:
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search_url + "?q={query}"},
            "query-input": "required name=query",
        }
    return as_script(data)


def article_json_ld(post, blog, url, image_url="", *, blog_url="", logo_url="", author_url=""):
    """schema.org NewsArticle, with the wire credit as ``sourceOrganization``."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title[:110],
        "url": url,
        "datePublished": post.published_at.isoformat(),
        "dateModified": post.updated_at.isoformat(),
        "inLanguage": post.language or blog.language,
        "publisher": publisher(blog, blog_url, logo_url),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "commentCount": post.comment_count,
    }
    if people := authors(post, author_url):
        data["author"] = people
    if image_url:
        data["image"] = image_url
    if post.source_name:
        data["sourceOrganization"] = {"@type": "Organization", "name": post.source_name}
        if post.source_url:
            data["sourceOrganization"]["url"] = post.source_url
    if post.corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction["text"],
                "datePublished": correction["date"],
            }
            for correction in post.corrections
        ]
    return as_script(data)
