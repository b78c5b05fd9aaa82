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


def slug(name: str, limit: int = 60) -> str:
    """A safe file-name stem from an account name: lower-case ASCII words joined by hyphens."""
    import re
    import unicodedata
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:limit].strip("-")
    if stem in RESERVED_NAMES:
        stem += "-account"
    return stem or "account"


# Names Windows will not accept as a file name, whatever the extension.
RESERVED_NAMES = frozenset(["con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                            *(f"lpt{i}" for i in range(1, 10))])


def money_format(currency: str) -> str:
    """The Excel number format that reads like `money` in the plan's currency: `"$"#,##0`, `"CHF "#,##0`."""
    symbol = SYMBOLS.get(currency)
    return f'"{symbol}"#,##0' if symbol else f'"{currency} "#,##0'
