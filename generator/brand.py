"""The visual style of every output: colours as RRGGBB hex, fonts by name.

A value, carried by the kit (`kit.brand`); the built-in kit reads `templates/brand/default.json` over
these defaults (`kit.load_brand`). Nothing is read at import.
"""
from __future__ import annotations

import re
from typing import Any

from .records import record

_HEX = re.compile(r"#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})\Z")


@record
class Brand:
    """A company's colours and fonts, as every output draws them (hex colours without the #)."""

    name: str = "accountplan"
    font: str = "Calibri"
    heading_font: str = "Calibri"
    ea_font: str = "Yu Gothic"   # East Asian text (Japanese, Chinese, Korean) in the deck and the document
    cs_font: str = "Arial"       # complex scripts (Arabic, Hebrew, Thai) in the deck and the document
    primary: str = "1F3864"      # titles, table headers
    accent: str = "2E75B6"       # highlights, links
    text: str = "262626"
    muted: str = "7F7F7F"        # footers, notes
    light: str = "F2F2F2"        # banded rows, panels
    secured: str = "1F3864"
    forecast: str = "2E75B6"
    pipeline: str = "9DC3E6"
    prospect: str = "DEEBF7"
    gap: str = "C00000"          # the gap to target, always in its own colour
    good: str = "548235"         # Trusted advisor, done, Yes
    fair: str = "BF8F00"         # Building trust, partly
    bad: str = "C00000"          # Poor, overdue, blocked
    unknown: str = "A6A6A6"
    error_fill: str = "F8CBAD"   # flagged cells in the checked workbook
    warning_fill: str = "FFE699"
    input_fill: str = "FFF9E5"   # cells a rep types into in the template

    def relationship_colour(self, relationship: str | None) -> str:
        return {"Trusted advisor": self.good, "Building trust": self.fair,
                "Poor": self.bad}.get(relationship or "", self.unknown)


def hex_colour(value: Any) -> str | None:
    """A hex colour with or without '#', as RRGGBB upper case (#abc is #AABBCC); None if it is not one."""
    if not isinstance(value, str):
        return None
    found = _HEX.match(value.strip())
    if not found:
        return None
    digits = found.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return digits.upper()


def tint(colour: str, amount: float) -> str:
    """`colour` lightened towards white by `amount` (0..1) of the way, as Office's "lighter" shades are."""
    import colorsys

    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    r, g, b = colorsys.hls_to_rgb(h, light + (1 - light) * amount, s)
    return "".join(f"{round(c * 255):02X}" for c in (r, g, b))

