"""Imported HTML comments to Warta's plain comment text, keeping paragraphs and links."""

import html
import re

BREAK_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
BLOCK_END_RE = re.compile(r"</(?:p|div|blockquote|li|h\d)\s*>", re.IGNORECASE)
LINK_RE = re.compile(
    r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']*)["'][^>]*>(.*?)</a\s*>""", re.IGNORECASE | re.DOTALL
)
TAG_RE = re.compile(r"<[^>]*>")


def html_to_text(source: str) -> str:
    def link(match):
        href, label = html.unescape(match.group(1)).strip(), TAG_RE.sub("", match.group(2))
        label = html.unescape(label).strip()
        if not href.startswith(("http://", "https://")) or href == label:
            text = label or href
        else:
            text = f"{label} ({href})" if label else href
        return html.escape(text, quote=False)

    text = LINK_RE.sub(link, source or "")
    text = BREAK_RE.sub("\n", text)
    text = BLOCK_END_RE.sub("\n\n", text)
    text = html.unescape(TAG_RE.sub("", text))
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
