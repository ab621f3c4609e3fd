"""Highlighted snippets: the words of a text whose stems are the query's, marked with
``<mark>``, everything else escaped. Made in Python from the entry's text, so both
databases show the same snippet."""

import re
import unicodedata

from markupsafe import Markup, escape

from .stemmer import MAX_WORD, fold, stemmer_for

SPLIT = re.compile(r"([^\W_]+)")  # words at the odd indexes, what lies between at the even
ASCII_SPLIT = re.compile(r"([a-zA-Z0-9]+)")  # the same, faster, for ASCII-only text
SCAN_CHARS = 4000  # of a long text only the start is read for a snippet
FIRST_CHARS = 600  # and of that, this much first
BEFORE = 6  # words of context before the first match


def _parts(text, terms, language):
    """``text`` split into words and what lies between, and which words match: each
    distinct word is stemmed once."""
    if text.isascii():
        parts = ASCII_SPLIT.split(text)
        folded = [word.lower() for word in parts[1::2]]
    else:
        parts = SPLIT.split(unicodedata.normalize("NFC", text))
        folded = [fold(word) for word in parts[1::2]]
    stem = stemmer_for(language)
    terms = set(terms)
    matching = {word for word in set(folded) if len(word) <= MAX_WORD and stem(word) in terms}
    matched = [word in matching for word in folded]
    return parts, matched, [stem(word) if word in matching else "" for word in folded]


def _render(parts, matched, first, last):
    """Words ``first`` to ``last`` (exclusive) and what lies between them, escaped, the
    matched ones marked: one escape for each run of unmatched text."""
    out = []
    run = 2 * first + 1
    for index in range(first, last):
        if matched[index]:
            at = 2 * index + 1
            out.append(escape("".join(parts[run:at])))
            out.append(Markup("<mark>%s</mark>") % parts[at])
            run = at + 1
    out.append(escape("".join(parts[run : 2 * last])))
    return Markup("").join(out)


def highlight(text, terms, language):
    """All of ``text``, escaped, its matching words marked."""
    parts, matched, _terms = _parts(text, terms, language)
    count = len(matched)
    if not count:
        return escape(text)
    return Markup("").join([escape(parts[0]), _render(parts, matched, 0, count), escape(parts[-1])])


def _best_start(matched, found, terms, length):
    """The first word of the window of ``length`` words with the most distinct terms (the
    earliest such), and how many it has."""
    hits = [index for index, is_match in enumerate(matched) if is_match]
    best, start = 0, 0
    for position, index in enumerate(hits):
        window = {found[j] for j in hits[position:] if j < index + length - BEFORE}
        if len(window) > best:
            best, start = len(window), max(0, index - BEFORE)
            if best == len(terms):
                break
    return start, best


def snippet(text, terms, language, *, length=32):
    """About ``length`` words of ``text`` around its best run of matches (the most distinct
    query terms in one window, the earliest such), escaped, the matches marked; the start of
    the text when no word of it matches (the title did). The first ``FIRST_CHARS`` are read
    first, and the rest (up to ``SCAN_CHARS``) only when they lack a term."""
    terms = set(terms)
    text = " ".join(text[:SCAN_CHARS].split())
    for limit in (FIRST_CHARS, SCAN_CHARS):
        cut = text if len(text) <= limit else text[: text.rfind(" ", 0, limit) + 1 or limit]
        parts, matched, found = _parts(cut, terms, language)
        start, best = _best_start(matched, found, terms, length)
        if best == len(terms) or cut is text:
            break
    count = len(matched)
    if not count:
        return Markup("")
    end = min(count, start + length)
    more = end < count or cut is not text
    out = [Markup("… ") if start > 0 else escape(parts[0])]
    out.append(_render(parts, matched, start, end))
    out.append(Markup(" …") if more else escape(parts[-1]))
    return Markup("").join(out)
