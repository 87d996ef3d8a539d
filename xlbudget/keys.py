"""Keys as officers type them, normalised once: codes, plan numbers, names, sheet names, header words.

Pure. Full-width digits and letters become ASCII (Unicode NFKC), ideographic and
no-break spaces become plain spaces, and the ends are trimmed, so ``３２０２``,
``3202`` and ``3202\u00a0`` are one key. Every reader compares keys through here.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_key(value: object) -> str:
    """A typed key as one canonical text: NFKC, every run of spaces one space, trimmed; '' for None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number: 3202.0 is the key 3202
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub(" ", text).strip()


def compact_key(value: object) -> str:
    """``normalize_key`` without any space at all: for header words and names (「科 目」 is 科目)."""
    return _SPACES.sub("", normalize_key(value))
