"""Markdown and HTML to safe HTML, done once when content is saved, never per request."""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "class"},
    "th": {"colspan", "rowspan", "scope"},
    "table": {"class"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "code": {"class"},
    "span": {"class"},
    "div": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_markdown = MarkdownIt("commonmark", {"linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def sanitize_html(html: str, *, link_rel: str | None = "noopener") -> str:
    """Keep the structure of an article, drop scripts, styles, handlers and foreign schemes."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=link_rel,
        strip_comments=True,
    )


def render_markdown(source: str) -> str:
    """Markdown source of a post to sanitised HTML; raw HTML in the source is sanitised too."""
    return sanitize_html(_markdown.render(source or ""))


def lazy_images(html: str) -> str:
    """Ask the browser to load body images only when they come near the screen."""
    return html.replace("<img ", '<img loading="lazy" ')
