"""Streaming XML for untrusted files: no entities, no network, no DTD, memory flat.

lxml is loaded on first use, here and in the exporters: every web process reads the format
registry for the desk's addresses, and lxml would add 5 MB to each of them."""

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .errors import ImportFailed


def local_name(element) -> str:
    """``{namespace}name`` -> ``name``."""
    return element.tag.rpartition("}")[2]


def iter_elements(path, *, level: int, root_tags: set[str]) -> Iterator:
    """Yield each complete element at depth ``level`` (the root is 1), then free it.

    The caller must not keep references to the yielded element: it is cleared right after.
    Refuses any DOCTYPE (billion laughs, external entities) before reading further.
    """
    from lxml import etree

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
            % {"tag": local_name(element)},
            line=element.sourceline,
        )


def text_of(element, tag: str, default: str = "") -> str:
    child = element.find(tag)
    if child is None or child.text is None:
        return default
    return child.text
