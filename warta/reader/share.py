"""Share links as plain URLs: no third-party script ever runs on a reader's page."""

from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _


def share_links(url: str, title: str) -> list[dict]:
    text = f"{title} {url}"
    return [
        {
            "name": "whatsapp",
            "label": "WhatsApp",
            "href": "https://wa.me/?" + urlencode({"text": text}),
        },
        {
            "name": "facebook",
            "label": "Facebook",
            "href": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        },
        {
            "name": "x",
            "label": "X",
            "href": "https://x.com/intent/post?" + urlencode({"text": title, "url": url}),
        },
        {
            "name": "telegram",
            "label": "Telegram",
            "href": "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
        },
        {
            "name": "email",
            "label": _("E-mail"),
            "href": f"mailto:?subject={quote(title)}&body={quote(url)}",
        },
    ]
