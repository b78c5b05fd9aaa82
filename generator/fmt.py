"""How figures read in every output: one place, so the deck, the document and the workbook agree."""
from __future__ import annotations

import datetime as dt

NONE = "—"
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "KRW": "₩"}


def money(value: float | None, currency: str) -> str:
    """`$1,250,000`, `€1,250,000`, `CHF 1,250,000`; cents only where there are any."""
    if value is None:
        return NONE
    digits = f"{abs(value):,.0f}" if float(value).is_integer() else f"{abs(value):,.2f}"
    sign = "-" if value < 0 else ""
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{currency} {digits}"


SCALES = ((1e9, "B"), (1e6, "M"), (1e3, "K"))


def money_short(value: float | None, currency: str) -> str:
    """Money in scaled units for headlines, charts and callouts: `$1.45M`, `$950K`, `$12.3B`."""
    if value is None:
        return NONE
    for size, unit in SCALES:
        if abs(value) >= size * 0.9995:
            scaled = f"{abs(value) / size:.3g}"
            return _with_symbol(f"{scaled}{unit}", value < 0, currency)
    return _with_symbol(f"{abs(value):,.0f}", value < 0, currency)


def _with_symbol(digits: str, negative: bool, currency: str) -> str:
    symbol = SYMBOLS.get(currency)
    sign = "-" if negative else ""
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{currency} {digits}"


def share(value: float | None) -> str:
    """A fraction as a whole percent: 0.425 -> `43%`."""
    return NONE if value is None else f"{value * 100:.0f}%"


def signed_share(value: float | None) -> str:
    """Growth: 0.263 -> `+26%`."""
    return NONE if value is None else f"{value * 100:+.0f}%"


def times(value: float | None) -> str:
    """Coverage: 1.432 -> `1.43×`."""
    return NONE if value is None else f"{value:.2f}×"


def date(value: dt.date | None) -> str:
    return NONE if value is None else f"{value.day} {value:%b %Y}"


def text(value) -> str:
    """Any model value as display text; blanks as a dash."""
    if value is None or value == "":
        return NONE
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# A file name may have 255 bytes on the usual file systems; `build` adds at most 18 ("-plan-checked.xlsx")
# and its temporary file 14 more (".NAME.XXXXXXXX.tmp"): a stem stays well inside what is left.
SLUG_BYTES = 200


def slug(name: str, limit: int = 60) -> str:
    """A safe file-name stem from an account name: its letters and digits, lower-cased, joined by hyphens.

    Letters and digits of every script are kept (NFC), so different accounts keep different names:
    `Café Ltd` → `café-ltd`, `Cafe Ltd` → `cafe-ltd`, `港湾物流` → `港湾物流`. Everything else (spaces,
    punctuation, path separators, the characters Windows or macOS refuse in a name, control and invisible
    characters) becomes one hyphen. At most `limit` characters and SLUG_BYTES bytes of UTF-8, never cut
    inside a letter and its accents; never a name Windows reserves (`con` → `con-account`).
    """
    import unicodedata

    text = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name or "").lower())
    chars: list[str] = []
    gap = False
    for ch in text:
        kind = unicodedata.category(ch)[0]
        if kind in "LN" or (kind == "M" and chars and not gap):   # a mark only on the letter it follows
            if gap and chars:
                chars.append("-")
            gap = False
            chars.append(ch)
        else:
            gap = True
    kept = chars[:limit]
    while kept and len("".join(kept).encode()) > SLUG_BYTES:
        kept.pop()
    while kept and len(kept) < len(chars) and unicodedata.category(chars[len(kept)])[0] == "M":
        kept.pop()                         # cut before the letter whose accent would be cut off
    stem = "".join(kept).strip("-")
    if stem in RESERVED_NAMES:
        stem += "-account"
    return stem or "account"


# Names Windows will not accept as a file name, whatever the extension.
RESERVED_NAMES = frozenset(["con", "prn", "aux", "nul",
                            *(f"{port}{n}" for port in ("com", "lpt") for n in "0123456789¹²³")])


def money_format(currency: str) -> str:
    """The Excel number format that reads like `money` in the plan's currency: `"$"#,##0`, `"CHF "#,##0`."""
    symbol = SYMBOLS.get(currency)
    return f'"{symbol}"#,##0' if symbol else f'"{currency} "#,##0'
