"""Comment text: plain text with links and line breaks, never raw HTML."""

import re

from django.utils.html import escape

from warta.core.markup import sanitize_html

URL_RE = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)


def render_comment(text: str) -> str:
    escaped = escape(text.strip())
    linked = URL_RE.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    paragraphs = [p for p in re.split(r"(?:\r?\n){2,}", linked) if p.strip()]
    html = "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs)
    return sanitize_html(html, link_rel="nofollow ugc noopener")


def count_links(text: str) -> int:
    return len(URL_RE.findall(text))
