"""Words as the search index keeps them: folded (case, diacritics), split on anything that
is not a letter or a digit, and stemmed in the document's language: Indonesian by Sastrawi
(Nazief-Adriani with its root dictionary: ``membangun``, ``pembangunan``, ``dibangun`` and
``bangunan`` are all ``bangun``), English by Snowball's Porter2 (``running`` -> ``run``).

The same function stems a post when it is indexed and a reader's query when it is searched,
and both databases are given the stems as plain words, so SQLite and PostgreSQL hold the
same terms and find the same posts. See docs/search.md for why these two stemmers.
"""

import functools
import re
import unicodedata

import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

WORD = re.compile(r"[^\W_]+")
MAX_WORD = 60  # longer runs of letters are not words (PostgreSQL refuses lexemes > 2 KB)
MAX_QUERY_WORDS = 8
CACHE_WORDS = 200_000  # distinct words a worker keeps stemmed: a few tens of MB at most


def fold(text):
    """Lower case without diacritics: ``Kafé`` -> ``kafe``."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text):
    """The folded words of ``text``, in order."""
    return [word for word in WORD.findall(fold(text)) if len(word) <= MAX_WORD]


@functools.cache
def _sastrawi():
    # The dictionary (about 30,000 roots) loads in about 40 ms: once per worker.
    return StemmerFactory().create_stemmer(isDev=False).delegatedStemmer


@functools.cache
def _snowball_english():
    return Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=CACHE_WORDS)
def stem_indonesian(word):
    if not word.isalpha():
        return word  # "2024", "covid19": not Indonesian morphology
    return _sastrawi().stem_word(word) or word


@functools.lru_cache(maxsize=CACHE_WORDS)
def stem_english(word):
    return _snowball_english().stemWord(word)


def stemmer_for(language):
    return stem_english if language == "en" else stem_indonesian


def stems(text, language):
    """``text`` as the index keeps it: its stems joined by spaces."""
    stem = stemmer_for(language)
    return " ".join(stem(word) for word in words(text))


def query_terms(query, language):
    """The distinct stems of a reader's query, at most ``MAX_QUERY_WORDS``: only letters and
    digits, so safe to quote into either database's query syntax."""
    stem = stemmer_for(language)
    terms = []
    for word in words(query):
        term = stem(word)
        if term not in terms:
            terms.append(term)
    return terms[:MAX_QUERY_WORDS]
