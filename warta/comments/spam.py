"""Anti-spam without third-party services: shipped phrase rules, the blog's own block list,
a link limit, and cache-backed rate limits that hold across worker processes."""

import functools
import hashlib
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

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


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/60"`` -> at most 5 in 60 seconds."""
    count, seconds = rate.split("/")
    return int(count), int(seconds)


def rate_limited(scope: str, ident: str, rate: str) -> bool:
    """Count one attempt; True when the window's allowance is used up.

    ``cache.add`` creates the window's counter atomically and ``cache.incr`` is atomic in
    Redis, so every worker process shares the same count."""
    limit, window = parse_rate(rate)
    key = f"comment-rate:{scope}:{ident}"
    if cache.add(key, 1, window):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # the window expired between add and incr
        cache.add(key, 1, window)
        return False
