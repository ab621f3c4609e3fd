"""Indonesian-aware query words: case and diacritics folded, particles and possessive
suffixes stripped (``rumahnya`` -> ``rumah``, ``bukankah`` -> ``bukan``).

The index keeps whole words; a stem is searched as a prefix, so ``rumahnya`` finds
``rumah``, ``rumahnya`` and ``rumahmu`` (and, a known limit, ``rumahan``).
"""

import re
import unicodedata

# PostgreSQL's own folding of diacritics (unaccent) is an extension that needs a superuser;
# translate() is built in and immutable, so the GIN expression index can use it.
ACCENTED = "áàâäãåāéèêëēíìîïīóòôöõōúùûüūçñ"
PLAIN = "aaaaaaaeeeeeiiiiioooooouuuuucn"
PG_DOCUMENT = f"translate(lower(title || ' ' || body), '{ACCENTED}', '{PLAIN}')"

SUFFIXES = ("nya", "lah", "kah", "tah", "pun", "ku", "mu")
MIN_STEM = 4
MAX_WORDS = 8


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def stem(word):
    # Particles come after possessives (rumah-nya-lah), so strip at most one of each, in order.
    for group in (("lah", "kah", "tah", "pun"), ("nya", "ku", "mu")):
        for suffix in group:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                break
    return word


def query_stems(query):
    """The stems of a reader's query, at most ``MAX_WORDS``, safe to put in any syntax."""
    words = re.findall(r"\w+", fold(query))
    stems = []
    for word in words:
        word = stem(word)
        if word not in stems:
            stems.append(word)
    return stems[:MAX_WORDS]
