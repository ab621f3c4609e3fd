"""Anti-spam without third-party services: shipped phrase rules, the blog's own block list,
and a link limit. Rate limits are in ``warta.core.ratelimit``."""

import functools
import hashlib
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from .text import URL_RE

RULES_FILE = Path(__file__).with_name("spam_rules.txt")

# Spammers write "s1ot g4cor", "c1al1s", "v!agra" and "s-l-o-t" to slip past word lists.
LOOK_ALIKES = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                             "$": "s", "!": "i", "|": "l", "€": "e"})  # fmt: skip
SPACED_OUT = re.compile(r"(?<![a-z])(?:[a-z][\W_]){2,}[a-z](?![a-z])")


@functools.cache
def shipped_rules() -> tuple[re.Pattern, ...]:
    """The phrase rules in ``spam_rules.txt``, compiled once per process (read-only)."""
    rules = []
    for line in RULES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rules.append(re.compile(r"(?<![a-z])" + line, re.IGNORECASE))
    return tuple(rules)


def fold(text: str) -> list[str]:
    """Lowercase ASCII readings of a text with look-alikes turned back into letters ("1" may
    stand for "l" or "i") and spaced-out letters joined."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().translate(LOOK_ALIKES)
    readings = []
    for one in ("l", "i"):
        reading = text.replace("1", one)
        readings.append(SPACED_OUT.sub(lambda m: re.sub(r"[\W_]", "", m.group(0)), reading))
    return readings


def shipped_rule_hit(text: str) -> str | None:
    """The first shipped rule the text matches, or None."""
    for reading in fold(text):
        for rule in shipped_rules():
            if match := rule.search(reading):
                return match.group(0)
    return None


def hash_ip(ip: str) -> str:
    """Comments keep a keyed hash of the address, never the address itself."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()[:32]


def link_domains(text: str) -> set[str]:
    return {
        urlsplit(url).hostname.removeprefix("www.")
        for url in URL_RE.findall(text)
        if urlsplit(url).hostname
    }


def blocklist_hit(blocklist: str, *, ip_hash: str, fields: list[str]) -> str | None:
    """The first entry of a blog's list (one per line, like WordPress's "Disallowed Comment
    Keys") found in the comment: ``ip:<hash>`` entries match the address, others are
    case-insensitive substrings of the name, e-mail, website or text."""
    haystack = "\n".join(fields).lower()
    for entry in blocklist.splitlines():
        entry = entry.strip().lower()
        if not entry or entry.startswith("#"):
            continue
        if entry.startswith("ip:"):
            if entry[3:] == ip_hash:
                return entry
        elif entry in haystack:
            return entry
    return None
