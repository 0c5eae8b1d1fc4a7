"""Turning raw cells into values: text, dates (dd/mm/yyyy text or Excel serials), flags, choices;
and recognizing text typed in the legacy Vietnamese encodings (TCVN3/ABC, VNI). Pure Python."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from kiemdiem.core.text import ascii_digits, fold, nfc

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message names what is wrong."""


@functools.lru_cache(maxsize=1 << 16, typed=True)
def text(value: object) -> str:
    """NFC, non-breaking and stray spaces collapsed; numbers typed as numbers lose their ".0".
    Cached (typed: 1, 1.0 and True stay apart): codes, titles and labels repeat down a sheet,
    and the required-cell check reads each cell twice."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value).replace("\u00a0", " ").replace("\u200b", ""))


def identity(value: object) -> str:
    """A CCCD as typed: Excel drops the leading zeros when the cell is a number, so a number of
    10 or 11 digits gets them back (every province code is 0xx, some 00x)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(int(value))
        return digits.zfill(12) if len(digits) in (10, 11) else digits
    return text(value).replace(" ", "").replace(".", "")


def date(value: object) -> dt.date | None:
    """dd/mm/yyyy text (also with . or -), ISO text, a date cell or an Excel serial number."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise CellError(str(value))
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    raw = text(value)
    if not raw:
        return None
    if ascii_digits(raw) and len(raw) <= 6:
        return date(int(raw))
    match = _DATE_RE.match(raw)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        match = _ISO_RE.match(raw)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(raw) from exc
    raise CellError(raw)


_YES = {"x", "co", "1", "true", "yes", "dung", "v"}
_NO = {"", "khong", "0", "false", "no", "sai"}


def flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    folded = _folded(text(value))
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise CellError(text(value))


@functools.lru_cache(maxsize=4096)
def _folded(raw: str) -> str:
    """Choice cells repeat a handful of labels over 100,000 rows: fold each once."""
    return fold(raw)


def choice(value: object, lookup: dict[str, object], default: object = None) -> object:
    """A choice given by its label (any case, with or without diacritics) or its value;
    `lookup` maps the folded labels and values to the values."""
    raw = text(value)
    if not raw:
        if default is None:
            raise CellError("")
        return default
    try:
        return lookup[_folded(raw)]
    except KeyError:
        raise CellError(raw) from None


# --- legacy encodings -------------------------------------------------------------------------

# Bytes of TCVN3 (ABC) read as Windows code pages give these symbols for ă â ê ô ơ ư đ Đ and
# the toned vowels; no Vietnamese word written in Unicode contains them.
_TCVN3_MARKS = set("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÆÇÎÐ×ØÞßæçîð÷þ")
# Latin-1 letters that are not Vietnamese letters (VNI writes marks as such letters after the
# base vowel: "Nguyeãn", "Traàn", "Thò", "ñ" for đ).
_FOREIGN = set("ÄÅÆÇËÎÏÐÑÖ×ØÛÜÞßäåæçëîïðñö÷øûüþÿ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿")
_VOWELS = set("aăâeêioôơuưy")
_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
_VALID_RUNS = set(
    [
        "a",
        "ă",
        "â",
        "e",
        "ê",
        "i",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "y",
        "ai",
        "ao",
        "au",
        "ay",
        "âu",
        "ây",
        "eo",
        "êu",
        "ia",
        "iu",
        "oa",
        "oă",
        "oe",
        "oi",
        "ôi",
        "ơi",
        "oo",
        "ua",
        "uâ",
        "ue",
        "uê",
        "ui",
        "uo",
        "uô",
        "uơ",
        "ưa",
        "ưi",
        "ưu",
        "ươ",
        "uy",
        "ya",
        "yê",
        "iê",
        "oai",
        "oay",
        "oao",
        "oeo",
        "uây",
        "uôi",
        "ươi",
        "ươu",
        "uya",
        "uyê",
        "uyu",
        "iêu",
        "yêu",
        "ueo",
        "uai",
        "uay",
        "uao",
        "qua",
    ]
)


def _vowel_runs(word: str) -> list[str]:
    runs, current = [], ""
    for ch in word:
        if ch in _VOWELS:
            current += ch
        else:
            if current:
                runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return runs


def _strip_tones(word: str) -> tuple[str, int]:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONES)
    kept = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", kept), tones


def legacy_encoding(value: str) -> str | None:
    """ "TCVN3" or "VNI" when `value` looks like text typed in that legacy encoding, else None."""
    if not value or value.isascii():
        return None
    if not _FOREIGN.isdisjoint(value):  # set operations: one pass in C over the text
        return "VNI" if _TCVN3_MARKS.isdisjoint(value) else "TCVN3"
    return "VNI" if any(_bad_word(word) for word in value.split()) else None


@functools.lru_cache(maxsize=65536)
def _bad_word(word: str) -> bool:
    """Names and titles of a roster reuse a few thousand words: check each once."""
    base, tones = _strip_tones(word)
    # "gi" and "qu" are consonants before a vowel ("giữ", "quyền").
    if base[:2] in ("gi", "qu") and len(base) > 2 and base[2] in _VOWELS:
        base = base[2:]
    return tones > 1 or any(run not in _VALID_RUNS for run in _vowel_runs(base))
