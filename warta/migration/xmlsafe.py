"""Streaming XML for untrusted files: no entities, no network, no DTD, memory flat."""

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _
from lxml import etree


class ImportFailed(Exception):
    """The file cannot be imported; nothing was changed. ``line`` names where, when known."""

    def __init__(self, message: str, *, line: int | None = None):
        self.line = line
        if line:
            message = _("%(message)s (line %(line)s)") % {"message": message, "line": line}
        super().__init__(message)


def iter_elements(path, *, level: int, root_tags: set[str]) -> Iterator[etree._Element]:
    """Yield each complete element at depth ``level`` (the root is 1), then free it.

    The caller must not keep references to the yielded element: it is cleared right after.
    Refuses any DOCTYPE (billion laughs, external entities) before reading further.
    """
    context = etree.iterparse(
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    depth = 0
    try:
        for event, element in context:
            if event == "start":
                depth += 1
                if depth == 1:
                    check_root(element, root_tags)
                continue
            depth -= 1
            if depth == level - 1:
                yield element
                element.clear(keep_tail=False)
                parent = element.getparent()
                # Drop finished siblings too, so the tree never grows with the file.
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        raise ImportFailed(
            _("The file is not well-formed XML: %(error)s")
            % {"error": re.sub(r", line \d+, column \d+$", "", error.msg or "")},
            line=error.lineno,
        ) from error
    finally:
        del context


def check_root(element, root_tags: set[str]) -> None:
    docinfo = element.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise ImportFailed(
            _("The file declares a DOCTYPE; entities are refused for safety."),
            line=element.sourceline,
        )
    if element.tag not in root_tags:
        raise ImportFailed(
            _("This is not the expected kind of file: it starts with <%(tag)s>.")
            % {"tag": etree.QName(element).localname},
            line=element.sourceline,
        )


def text_of(element, tag: str, default: str = "") -> str:
    child = element.find(tag)
    if child is None or child.text is None:
        return default
    return child.text
