"""Vietnamese text: NFC storage, collation keys and accent-insensitive search keys.

Pure Python (no Django), so the same keys are computed by services, imports and the seeder, and
both databases sort and search identically: ordering by a precomputed ASCII key avoids depending
on the PostgreSQL server's ICU/libc collation or SQLite's BINARY order.

Collation (the order of official lists): given name first, then middle, then family name;
letters in the Vietnamese alphabet order a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x
y; tones compare only after the letters (a secondary level, as in dictionaries and CLDR), in the
order ngang, huyền, sắc, hỏi, ngã, nặng. So "Anh" < "Ánh" < "Ăn" and "Nguyễn Thị Anh" comes before
"Nguyễn Thị Ánh", while "Đào" sorts after every "D…" name.
"""

from __future__ import annotations

import functools
import re
import unicodedata

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Combining marks of the tones, in dictionary order (ngang = no mark = 0).
_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
# Marks that make a different letter (ă â ê ô ơ ư), not a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}

_SPACE_RE = re.compile(r"\s+")


def ascii_digits(value: str) -> bool:
    """Only 0-9: `str.isdigit` also accepts "²" (which `int` refuses, a 500 where a number
    from a request was checked with it) and "１" (which `int` reads)."""
    return value.isascii() and value.isdigit()


@functools.lru_cache(maxsize=1 << 14)
def nfc(text: str) -> str:
    """Normalize to NFC and collapse white space: what we store. Cached (small, recent): the
    same name passes here three to five times on its way in (validator, split, keys)."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _letters(word: str) -> list[tuple[str, int]]:
    """Split a word into (base letter, tone) pairs, the base letter keeping its vowel marks."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFC", word.lower()):
        decomposed = unicodedata.normalize("NFD", ch)
        tone = 0
        base = ""
        for part in decomposed:
            if part in _TONES:
                tone = _TONES[part]
            else:
                base += part
        out.append((unicodedata.normalize("NFC", base), tone))
    return out


def _primary_code(letter: str) -> str:
    """Two lowercase ASCII letters per character, so the key sorts the same under any collation
    that orders plain lowercase letters (binary, C, en_US, vi_VN)."""
    index = ALPHABET.find(letter) if len(letter) == 1 else -1
    if index >= 0:
        rank = 40 + index  # letters after digits and other symbols
    elif letter.isdecimal():  # not isdigit: "²" is a digit that int() refuses (a 500)
        rank = 20 + int(letter)
    else:
        # Foreign letters (f, j, w, z) and symbols: after y, stable among themselves.
        rank = 80 + (ord(letter[0]) % 300) if letter else 80
    return chr(ord("b") + rank // 25) + chr(ord("a") + rank % 25)


@functools.lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> tuple[str, str]:
    """(primary, secondary) codes of one word. Cached: a province's 100,000 names are made of a
    few thousand distinct words, and this was a sixth of a roster import's CPU time."""
    pairs = _letters(word)
    return (
        "".join(_primary_code(base) for base, _ in pairs),
        "".join(chr(ord("b") + tone) for _, tone in pairs),
    )


def collation_key(text: str) -> str:
    """A key ordering `text` in Vietnamese dictionary order (letters first, then tones)."""
    keys = [_word_key(w) for w in _SPACE_RE.split(text.strip()) if w]
    # "aa" separates words and ends the primary level: it sorts before any letter code, so a
    # shorter word ("An") precedes a longer one ("Anh").
    return "aa".join(k[0] for k in keys) + "aaa" + "a".join(k[1] for k in keys)


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese name written family-middle-given."""
    parts = nfc(full_name).split(" ")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return parts[0], "", parts[1]
    return parts[0], " ".join(parts[1:-1]), parts[-1]


def name_sort_key(full_name: str) -> str:
    """Official-list order: given name, then middle, then family name (then letters before tones
    across the whole name, so a tone difference in the given name never outranks a letter
    difference in the family name)."""
    family, middle, given = split_name(full_name)
    return collation_key(" ".join(p for p in (given, middle, family) if p) or "")


def fold(text: str) -> str:
    """Accent- and case-insensitive search form: "Nguyễn Văn Ấn" → "nguyen van an"."""
    # A word of combining marks only folds to nothing: skip it, as the collapsing of spaces did.
    return " ".join(f for f in map(_fold_word, _SPACE_RE.split(text.lower())) if f)


@functools.lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    """One word folded; cached like `_word_key` (names and labels repeat their words)."""
    decomposed = unicodedata.normalize("NFD", word)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")
