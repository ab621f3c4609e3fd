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
        self.matching, self.other = {}, set()  # matching: a word -> the term it is

    def parts(self, text):
        """``text`` split into words and what lies between (the words at the odd indexes),
        and the matches: each matching word's index among the words -> its term, in order."""
        if text.isascii():
            parts = ASCII_SPLIT.split(text)
            # Lower-cased all at once: ASCII words hold no space.
            folded = " ".join(parts[1::2]).lower().split(" ") if len(parts) > 1 else []
        else:
            parts = SPLIT.split(unicodedata.normalize("NFC", text))
            folded = [fold(word) for word in parts[1::2]]
        distinct = set(folded)
        matching = self.matching
        unknown = distinct - matching.keys() - self.other
        if unknown:
            stem, terms = self.stem, self.terms
            for word in unknown:
                term = stem(word) if len(word) <= MAX_WORD else ""
                if term in terms:
                    matching[word] = term
                else:
                    self.other.add(word)
        if distinct.isdisjoint(matching):
            return parts, len(folded), {}
        found = {index: matching[word] for index, word in enumerate(folded) if word in matching}
        return parts, len(folded), found

    def highlight(self, text):
        """All of ``text``, escaped, its matching words marked."""
        parts, count, found = self.parts(text)
        if not found:
            return escape(text)
        return Markup(_escaped(parts[0]) + _render(parts, found, 0, count) + _escaped(parts[-1]))

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
            parts, count, found = self.parts(cut)
            start, best = _best_start(found, terms, length)
            if best == len(terms) or cut is text:
                break
        if not count:
            return Markup("")
        end = min(count, start + length)
        more = end < count or cut is not text
        before = "… " if start > 0 else _escaped(parts[0])
        after = " …" if more else _escaped(parts[-1])
        return Markup(before + _render(parts, found, start, end) + after)


def highlight(text, terms, language):
    return Marker(terms, language).highlight(text)


def snippet(text, terms, language, *, length=32):
    return Marker(terms, language).snippet(text, length=length)


def _render(parts, found, first, last):
    """Words ``first`` to ``last`` (exclusive) and what lies between them, escaped, the
    ``found`` ones marked, as a plain string: one escape for each run of unmatched text
    and for each marked word."""
    out = []
    run = 2 * first + 1
    for index in found:
        if index < first:
            continue
        if index >= last:
            break
        at = 2 * index + 1
        out.append(_escaped("".join(parts[run:at])))
        out.append(f"<mark>{_escaped(parts[at])}</mark>")
        run = at + 1
    out.append(_escaped("".join(parts[run : 2 * last])))
    return "".join(out)


def _escaped(text):
    """``text`` escaped, as a plain string: adding to a Markup would escape the other side."""
    return str(escape(text))


def _best_start(found, terms, length):
    """The first word of the window of ``length`` words with the most distinct terms (the
    earliest such), and how many it has. The window slides over the matches: each enters
    and leaves it once (a text full of one term was quadratic)."""
    hits = list(found)
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
