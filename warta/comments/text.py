"""Comment text: plain text with links and line breaks, never raw HTML. Imported comments
may keep the little HTML their platform allowed (``b``, ``i``, ``a``), sanitised."""

import re

import nh3
from django.utils.html import escape

from warta.core.markup import sanitize_html

# An address runs to the first space, quote or angle bracket (on the raw text: an escaped
# ``&quot;`` after it used to end up inside the link); see ``trim_url`` for its end.
URL_RE = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?*'\""
CLOSING = {")": "(", "]": "[", "}": "{"}
COMMENT_REL = "nofollow ugc noopener"
# What Blogger allows in a comment (and WordPress's defaults reduced to the same), plus the
# paragraphs and line breaks the text is laid out with.
COMMENT_TAGS = {"b", "i", "strong", "em", "a", "p", "br"}
BLOCK_RE = re.compile(r"<(?:p|br)\b", re.IGNORECASE)


def trim_url(url: str) -> str:
    """Without the punctuation that ends the sentence around it: ``(see http://a.id/x).``
    links ``http://a.id/x``, while ``http://id.wikipedia.org/wiki/Bogor_(kota)`` keeps its
    balanced bracket."""
    while url:
        last = url[-1]
        if last in TRAILING:
            url = url[:-1]
        elif last in CLOSING and url.count(last) > url.count(CLOSING[last]):
            url = url[:-1]
        else:
            break
    return url


def find_urls(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each address in ``text``."""
    spans = []
    for match in URL_RE.finditer(text):
        url = trim_url(match.group(0))
        if len(url) > len("https://"):
            spans.append((match.start(), match.start() + len(url)))
    return spans


def linked(text: str) -> str:
    """``text`` escaped, each address in it a link."""
    parts, position = [], 0
    for start, end in find_urls(text):
        url = escape(text[start:end])
        parts += [escape(text[position:start]), f'<a href="{url}">{url}</a>']
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def render_comment(text: str) -> str:
    paragraphs = [p for p in re.split(r"(?:\r?\n){2,}", text.strip()) if p.strip()]
    html = "".join("<p>" + linked(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return sanitize_html(html, link_rel=COMMENT_REL)


def render_comment_html(source: str) -> str:
    """An imported comment's HTML, as its platform showed it: only bold, italics, links
    (``rel="nofollow ugc"``), paragraphs and line breaks are kept. Lines without markup of
    their own become paragraphs, as WordPress's ``wpautop`` shows them."""
    source = (source or "").strip()
    if not BLOCK_RE.search(source):
        paragraphs = [p for p in re.split(r"(?:\r?\n){2,}", source) if p.strip()]
        source = "".join("<p>" + p.strip().replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        source,
        tags=COMMENT_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=COMMENT_REL,
        strip_comments=True,
    )


def count_links(text: str) -> int:
    return len(find_urls(text))
