"""Text preparation shared by the document-reference parser and the quantification checker.

Vietnamese text reaches us precomposed (NFC), decomposed (NFD, common from macOS and from
some Word exports) and with look-alike letters for "Đ" (the Icelandic eth "Ð", the African
"Ɖ", or a Latin "D" followed by a combining stroke overlay). The domain README says to store
NFC, so every matcher works on an NFC string with those variants unified — but findings must
point back into the caller's original string, so normalisation keeps an offset map.

A second, *folded* copy (lower case, tone and vowel marks removed, "đ" → "d") has exactly
the same length as the NFC text. Phrase lists are matched on it so "Hoàn Thành TỐT" and
"hoan thanh tot" hit the same entry while spans stay valid in the NFC text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

__all__ = ["PreparedText", "fold", "prepare"]

# Combining overlays people (and some converters) put on "D" to fake "Đ".
_STROKES = "\u0335\u0336\u0337\u0338"
_D_LOOKALIKES = {"\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ", "\u0256": "đ"}
_NEEDS_FIX = re.compile("[" + "".join(_D_LOOKALIKES) + _STROKES + "]")


def _build_fold_table() -> dict[int, str]:
    """One character in, one character out — the folded text must keep NFC offsets."""
    table: dict[int, str] = {}
    for code in (*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base.isascii() and base.isalpha():
            table[code] = base.lower()
    table.update({ord("Đ"): "d", ord("đ"): "d"})
    # Dashes and non-breaking spaces fold to their ASCII forms so patterns stay simple.
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2212":
        table[ord(dash)] = "-"
    for space in "\u00a0\u2007\u202f\u2009":
        table[ord(space)] = " "
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese marks from NFC text, keeping its length."""
    return text.translate(_FOLD_TABLE)


@dataclass(frozen=True, slots=True)
class PreparedText:
    """The caller's text, its NFC form, the folded form, and the way back to the original.

    ``offsets`` is ``None`` when the NFC text is the original (the common case, kept cheap);
    otherwise ``offsets[i]`` is the original index of NFC character ``i`` and
    ``offsets[len(nfc)] == len(original)``.
    """

    original: str
    nfc: str
    folded: str
    offsets: tuple[int, ...] | None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the NFC text to the original text."""
        if self.offsets is None:
            return (start, end)
        if end <= start:
            mapped = self.offsets[start]
            return (mapped, mapped)
        # The end maps to the end of the last character's original cluster.
        return (self.offsets[start], self._cluster_end(end - 1))

    def _cluster_end(self, index: int) -> int:
        assert self.offsets is not None
        following = index + 1
        while following < len(self.offsets) - 1 and self.offsets[following] == self.offsets[index]:
            following += 1
        return self.offsets[following]


_MARKS: Final = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# A base character with its combining marks, or a look-alike "Đ": the only places where
# the NFC text can differ from the original.
_CLUSTER: Final = re.compile(f"(?s).[{_MARKS}]+|[{''.join(_D_LOOKALIKES)}]")


def _fix_cluster(cluster: str) -> str:
    fixed = unicodedata.normalize("NFC", cluster)
    base = _D_LOOKALIKES.get(fixed[0], fixed[0])
    if base in "DdĐđ" and any(mark in _STROKES for mark in fixed[1:]):
        marks = "".join(mark for mark in fixed[1:] if mark not in _STROKES)
        fixed = unicodedata.normalize("NFC", ("Đ" if base in "DĐ" else "đ") + marks)
    return "".join(_D_LOOKALIKES.get(char, char) for char in fixed)


def _fix_clusters(text: str) -> tuple[str, tuple[int, ...]]:
    """NFC-normalise cluster by cluster (a base letter and its marks) to keep offsets.

    Only clusters with marks are touched; the text between them is copied as is, which
    keeps decomposed input fast (most characters are plain letters and spaces).
    """
    pieces: list[str] = []
    offsets: list[int] = []
    copied = 0
    for match in _CLUSTER.finditer(text):
        start, end = match.span()
        pieces.append(text[copied:start])
        offsets.extend(range(copied, start))
        cluster = _fix_cluster(match.group())
        pieces.append(cluster)
        offsets.extend([start] * len(cluster))
        copied = end
    pieces.append(text[copied:])
    offsets.extend(range(copied, len(text)))
    offsets.append(len(text))
    return "".join(pieces), tuple(offsets)


def prepare(text: str) -> PreparedText:
    """Normalise ``text`` for matching; see the module docstring for why."""
    if unicodedata.is_normalized("NFC", text) and _NEEDS_FIX.search(text) is None:
        return PreparedText(text, text, fold(text), None)
    nfc, offsets = _fix_clusters(text)
    if not unicodedata.is_normalized("NFC", nfc):
        # Singletons such as the Ångström sign change under NFC without any mark; map
        # them one character at a time.
        pieces = [_fix_cluster(char) for char in nfc]
        offsets = tuple([offsets[i] for i, piece in enumerate(pieces) for _ in piece] + [len(text)])
        nfc = "".join(pieces)
    return PreparedText(text, nfc, fold(nfc), offsets)
