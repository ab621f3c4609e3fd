"""What an article page says about itself to machines."""

import json

from markupsafe import Markup


def article_json_ld(post, blog, url, image_url=""):
    """schema.org NewsArticle, with the wire credit as ``sourceOrganization``."""
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
    if image_url:
        data["image"] = image_url
    if post.source_name:
        data["sourceOrganization"] = {"@type": "Organization", "name": post.source_name}
        if post.source_url:
            data["sourceOrganization"]["url"] = post.source_url
    text = json.dumps(data, ensure_ascii=False)
    # "</" would end the script element early; JSON allows escaping it.
    return Markup(text.replace("</", "<\\/"))
