"""Making a cell's text safe for every output, and saying what had to change.

A workbook can carry characters no XML output can hold (control characters, U+FFFE/U+FFFF,
halves of a character), and text long enough to break a slide. The reader cleans every text
once, here, and turns the list of changes into a `text-cleaned` finding at the cell.
"""
from __future__ import annotations

import re

# C0 controls except tab, newline and carriage return; DEL and the C1 controls; the two non-characters
# XML forbids. Surrogates are handled apart, because two of them can still make one character.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CR_LF = re.compile("\r+\n")                    # also the CR CR LF of text converted to Windows line ends twice


def clean_text(value: str, limit: int = 10_000) -> tuple[str, list[str]]:
    """`value` without what XML cannot hold, line ends as LF, at most `limit` characters; and what changed."""
    changes = []
    if _SURROGATE.search(value):
        value = _join_surrogates(value)
        if _SURROGATE.search(value):
            value = _SURROGATE.sub("\ufffd", value)
            changes.append("lone surrogates replaced")
    cleaned = _ILLEGAL.sub("", value)
    if cleaned != value:
        changes.append("control characters removed")
    cleaned = _CR_LF.sub("\n", cleaned)             # after the removal, which can bring a CR and LF together
    if len(cleaned) > limit:
        cleaned = cleaned[:limit]
        changes.append(f"shortened to {limit:,} characters")
    return cleaned, changes


def _join_surrogates(value: str) -> str:
    """Pairs of surrogates (text that went through UTF-16 badly) become the character they encode."""
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
