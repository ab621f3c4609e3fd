"""Share links as plain URLs: no third-party script ever runs on a reader's page."""

from urllib.parse import quote, quote_plus

from django.utils.translation import gettext_lazy as _


def share_links(url: str, title: str) -> list[dict]:
    # Each value quoted once (as urlencode would), not once per network: quoting is most
    # of this function's cost, paid on every article a reader opens uncached.
    url_q, title_q = quote_plus(url), quote_plus(title)
    return [
        {
            "name": "whatsapp",
            "label": "WhatsApp",
            "href": f"https://wa.me/?text={title_q}+{url_q}",
        },
        {
            "name": "facebook",
            "label": "Facebook",
            "href": f"https://www.facebook.com/sharer/sharer.php?u={url_q}",
        },
        {
            "name": "x",
            "label": "X",
            "href": f"https://x.com/intent/post?text={title_q}&url={url_q}",
        },
        {
            "name": "telegram",
            "label": "Telegram",
            "href": f"https://t.me/share/url?url={url_q}&text={title_q}",
        },
        {
            "name": "email",
            "label": _("E-mail"),
            "href": f"mailto:?subject={quote(title)}&body={quote(url)}",
        },
    ]
