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


class Marker:
    """Marks the words of one search's terms in its results' titles and texts. Each
    distinct word is stemmed once per search, whichever result it is met in: ten results
    share most of their words, and deciding each word was most of a search page's time."""

    def __init__(self, terms, language):
        self.terms = set(terms)
        self.stem = stemmer_for(language)
        self.matching, self.other = set(), set()

    def parts(self, text):
        """``text`` split into words and what lies between, which words match, and the
        stem of each matching word ("" for the others)."""
        if text.isascii():
            parts = ASCII_SPLIT.split(text)
            # Lower-cased all at once: ASCII words hold no space.
            folded = " ".join(parts[1::2]).lower().split(" ") if len(parts) > 1 else []
        else:
            parts = SPLIT.split(unicodedata.normalize("NFC", text))
            folded = [fold(word) for word in parts[1::2]]
        distinct = set(folded)
        unknown = distinct - self.matching - self.other
        if unknown:
            stem, terms = self.stem, self.terms
            for word in unknown:
                if len(word) <= MAX_WORD and stem(word) in terms:
                    self.matching.add(word)
                else:
                    self.other.add(word)
        matching = distinct & self.matching
        if not matching:
            return parts, [False] * len(folded), [""] * len(folded)
        matched = [word in matching for word in folded]
        stem = self.stem
        return (
            parts,
            matched,
            [stem(word) if hit else "" for word, hit in zip(folded, matched, strict=True)],
        )

    def highlight(self, text):
        """All of ``text``, escaped, its matching words marked."""
        parts, matched, _terms = self.parts(text)
        count = len(matched)
        if not any(matched):
            return escape(text)
        rendered = _render(parts, matched, 0, count)
        return Markup("").join([escape(parts[0]), rendered, escape(parts[-1])])

    def snippet(self, text, *, length=32):
        """About ``length`` words of ``text`` around its best run of matches (the most
        distinct query terms in one window, the earliest such), escaped, the matches
        marked; the start of the text when no word of it matches (the title did). The first
        ``FIRST_CHARS`` are read first, and the rest (up to ``SCAN_CHARS``) only when they
        lack a term."""
        terms = self.terms
        text = " ".join(text[:SCAN_CHARS].split())
        for limit in (FIRST_CHARS, SCAN_CHARS):
            cut = text if len(text) <= limit else text[: text.rfind(" ", 0, limit) + 1 or limit]
            parts, matched, found = self.parts(cut)
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


def highlight(text, terms, language):
    return Marker(terms, language).highlight(text)


def snippet(text, terms, language, *, length=32):
    return Marker(terms, language).snippet(text, length=length)


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


def _best_start(matched, found, terms, length):
    """The first word of the window of ``length`` words with the most distinct terms (the
    earliest such), and how many it has. The window slides over the matches: each enters
    and leaves it once (a text full of one term was quadratic)."""
    hits = [index for index, is_match in enumerate(matched) if is_match]
    best, start = 0, 0
    inside, right = {}, 0  # the window's terms and how often each is in it
    for index in hits:
        limit = index + length - BEFORE
        while right < len(hits) and hits[right] < limit:
            term = found[hits[right]]
            inside[term] = inside.get(term, 0) + 1
            right += 1
        if len(inside) > best:
            best, start = len(inside), max(0, index - BEFORE)
            if best == len(terms):
                break
        term = found[index]
        inside[term] -= 1
        if not inside[term]:
            del inside[term]
    return start, best
