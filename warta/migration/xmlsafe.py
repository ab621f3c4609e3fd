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
            _("The file is not well-formed XML: %(error)s") % {"error": readable(error.msg)},
            line=error.lineno,
        ) from error
    finally:
        del context


def readable(message: str) -> str:
    """libxml2's message without its own line numbers (the error gives one, once) and with
    the text it quotes decoded (``\\xe4\\xbb\\x8a`` -> ``今``)."""
    message = re.sub(r",? line \d+(?:, column \d+)?", "", (message or "").strip())

    def decode(match):
        data = bytes(int(byte, 16) for byte in re.findall(r"\\x([0-9a-fA-F]{2})", match.group()))
        return data.decode("utf-8", "replace")

    message = re.sub(r"(?:\\x[0-9a-fA-F]{2})+", decode, message)
    return " ".join(message.split())[:300]


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


ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 2**20
# Bytes XML 1.0 refuses everywhere, even in CDATA: WordPress writes them unescaped.
CONTROL_RE = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
PREFIX_USED_RE = re.compile(rb"<([A-Za-z_][\w.-]*):[A-Za-z_]")
PREFIX_DECLARED_RE = re.compile(rb"xmlns:([A-Za-z_][\w.-]*)\s*=")
ROOT_TAG_RE = re.compile(rb"<(?![?!/])[A-Za-z_][\w:.-]*")
#: Where an undeclared prefix is given its usual namespace (WordPress.com writes ``atom:link``
#: without declaring ``atom``); any other prefix gets a namespace of its own.
KNOWN_PREFIXES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "wp": "http://wordpress.org/export/1.2/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "media": "http://search.yahoo.com/mrss/",
    "georss": "http://www.georss.org/georss",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "app": "http://purl.org/atom/app#",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
}


def is_zip(path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(4) == ZIP_MAGIC


def scan(path) -> tuple[list[tuple[int, str]], set[str]]:
    """The control characters of the file (``(line, "U+0008")``) and the prefixes it uses in
    tags without declaring them anywhere; read in chunks, so memory stays flat."""
    controls, used, declared = [], set(), set()
    line, tail = 1, b""
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            for match in CONTROL_RE.finditer(chunk):
                where = line + chunk.count(b"\n", 0, match.start())
                controls.append((where, f"U+{ord(match.group()):04X}"))
            line += chunk.count(b"\n")
            window = tail + chunk
            used.update(m.decode() for m in PREFIX_USED_RE.findall(window))
            declared.update(m.decode() for m in PREFIX_DECLARED_RE.findall(window))
            tail = chunk[-200:]
    return controls, used - declared - {"xml", "xmlns"}


def repaired(path, directory, *, report, tolerate_prefixes: bool):
    """``path``, or a repaired copy in ``directory`` when the file has characters XML cannot
    carry (dropped, as WordPress's own importer's tolerant parser drops them, each said in
    the report) or, with ``tolerate_prefixes``, prefixes it never declares (declared on the
    root, as WordPress tolerates them)."""
    import os

    controls, undeclared = scan(path)
    if not tolerate_prefixes:
        undeclared = set()
    if not controls and not undeclared:
        return path
    for line, character in controls:
        report.warn(
            _("line %(line)s") % {"line": line},
            _("A control character (%(character)s) that XML cannot hold was left out.")
            % {"character": character},
        )
    for prefix in sorted(undeclared & KNOWN_PREFIXES.keys()):  # ``o:p`` in a body is HTML
        report.note(
            f"prefix:{prefix}",
            _("The file uses the prefix “%(prefix)s:” without declaring it; read as %(uri)s.")
            % {"prefix": prefix, "uri": KNOWN_PREFIXES.get(prefix, f"urn:undeclared:{prefix}")},
        )
    declarations = "".join(
        f' xmlns:{prefix}="{KNOWN_PREFIXES.get(prefix, f"urn:undeclared:{prefix}")}"'
        for prefix in sorted(undeclared)
    ).encode()
    target = os.path.join(directory, "repaired.xml")
    with open(path, "rb") as source, open(target, "wb") as out:
        first = True
        while chunk := source.read(CHUNK):
            chunk = CONTROL_RE.sub(b"", chunk)
            if first and declarations:
                root = ROOT_TAG_RE.search(chunk)
                if root:
                    chunk = chunk[: root.end()] + declarations + chunk[root.end() :]
            first = False
            out.write(chunk)
    return target
