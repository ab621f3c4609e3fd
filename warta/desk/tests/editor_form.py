"""The POST data of the desk's post editor, for the tests that send it."""


def editor_form(**fields):
    """A titled draft saved from the editor with every other field left empty, but for what
    ``fields`` gives."""
    data = {
        "title": "Banjir rob merendam Demak",
        "kicker": "",
        "body": "Ratusan keluarga bertahan di tenda.",
        "body_format": "markdown",
        "excerpt": "",
        "slug": "",
        "dateline": "",
        "labels": "",
        "lead_caption": "",
        "lead_credit": "",
        "lead_alt": "",
        "source_name": "",
        "source_url": "",
        "comments_enabled": "on",
        "language": "",
        "publish_at": "",
        "action": "save",
    }
    data.update(fields)
    return data
