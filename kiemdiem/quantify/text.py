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


def _is_mark(char: str) -> bool:
    return unicodedata.combining(char) != 0 or char in _STROKES


def _fix_clusters(text: str) -> tuple[str, tuple[int, ...]]:
    """NFC-normalise cluster by cluster (a base letter and its marks) to keep offsets."""
    pieces: list[str] = []
    offsets: list[int] = []
    length = len(text)
    index = 0
    while index < length:
        end = index + 1
        while end < length and _is_mark(text[end]):
            end += 1
        cluster = unicodedata.normalize("NFC", text[index:end])
        if cluster[0] in "Dd" and any(mark in _STROKES for mark in cluster[1:]):
            cluster = ("Đ" if cluster[0] == "D" else "đ") + "".join(
                mark for mark in cluster[1:] if mark not in _STROKES
            )
            cluster = unicodedata.normalize("NFC", cluster)
        cluster = "".join(_D_LOOKALIKES.get(char, char) for char in cluster)
        pieces.append(cluster)
        offsets.extend([index] * len(cluster))
        index = end
    offsets.append(length)
    return "".join(pieces), tuple(offsets)


def prepare(text: str) -> PreparedText:
    """Normalise ``text`` for matching; see the module docstring for why."""
    if unicodedata.is_normalized("NFC", text) and _NEEDS_FIX.search(text) is None:
        return PreparedText(text, text, fold(text), None)
    nfc, offsets = _fix_clusters(text)
    return PreparedText(text, nfc, fold(nfc), offsets)
