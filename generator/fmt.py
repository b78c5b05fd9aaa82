"""How figures read in every output: one place, so the deck, the document and the workbook agree."""
from __future__ import annotations

import datetime as dt
import functools

NONE = "—"
NOT_MEANINGFUL = "n/m"     # a growth too large to mean anything (over ±999%)
LOCALE = "en"              # the locale whose currency conventions money follows (symbol and its place)
GROWTH_LIMIT = 999         # percent: a growth beyond it reads NOT_MEANINGFUL

# Money: one rule for every output. Whole units in tables (`$1,450,000`), cents only when the plan's own
# values have any (the view decides once per plan), scaled units in headlines, charts and callouts
# (`$1.45M`); rounded half away from zero on the value's 15 significant digits, as Excel rounds, so a
# text and the Excel number format of the same value show the same digits. The currency's symbol and its
# place come from Babel (CLDR): `$1,450,000`, `€1,450,000`, `¥1,450,000`, `CHF 1,450,000`.


def money(value: float | None, currency: str, cents: bool = False, locale: str = LOCALE) -> str:
    """`$1,250,000`, `€1,250,000`, `CHF 1,250,000`; with `cents`, `$1,250,000.50` (never for a currency without
    minor units, such as JPY)."""
    if value is None or not _decimal(value).is_finite():      # no amount (an infinity is none either)
        return NONE
    prefix, suffix, digits = _currency(currency, locale)
    places = digits if cents else 0
    amount = _rounded(value, places)
    sign = "-" if amount < 0 else ""
    return f"{sign}{prefix}{abs(amount):,.{places}f}{suffix}"


UNITS = {0: "", 3: "K", 6: "M", 9: "B"}     # a scaled amount's power of ten -> its unit


def money_short(value: float | None, currency: str, locale: str = LOCALE) -> str:
    """Money in scaled units for headlines, charts and callouts: `$1.45M`, `$950K`, `$12.3B`, `$800`.

    Three significant digits (all of the whole part), trailing zeros dropped (`$1.5M`, `$2M`).
    """
    if value is None or not _decimal(value).is_finite():
        return NONE
    prefix, suffix, _ = _currency(currency, locale)
    amount, power, places = _scaled(value)
    unit = UNITS[power]
    sign = "-" if amount < 0 else ""
    return f"{sign}{prefix}{abs(amount):,.{places}f}{unit}{suffix}"


def _scaled(value: float):
    """(the amount in its unit, rounded; the unit's power of ten: 0, 3, 6 or 9; its decimal places)."""
    from decimal import Decimal

    exact = _decimal(value)
    for power in (0, 3, 6, 9):
        scaled = exact.scaleb(-power)
        places = 0
        if power:                                   # three significant digits
            places = 2
            while places and abs(_rounded(scaled, places)) >= Decimal(10) ** (3 - places):
                places -= 1
        amount = _rounded(scaled, places)
        if abs(amount) >= 1000 and power < 9:
            continue                                # 999,960 is $1M, not $1000K
        amount = amount.normalize() if places else amount
        places = max(0, -amount.as_tuple().exponent) if places else 0
        return amount.quantize(Decimal(1).scaleb(-places)), power, places
    raise AssertionError("unreachable")


def _decimal(value: float):
    """A value as the decimal Excel sees: its 15 significant digits."""
    from decimal import Decimal

    return Decimal(f"{float(value):.15g}")


def _rounded(value, places: int):
    """Rounded to `places` decimals half away from zero, as Excel's number formats round."""
    from decimal import ROUND_HALF_UP, Decimal

    exact = value if isinstance(value, Decimal) else _decimal(value)
    if not exact.is_finite():
        return exact
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def has_cents(value: float | None, currency: str = "USD") -> bool:
    """Whether an amount shows a fraction of its currency's unit at cent precision (`1200.5`, not `1200.001`)."""
    if value is None or not _decimal(value).is_finite() or not _currency(currency, LOCALE)[2]:
        return False
    return _rounded(value, 2) != _rounded(value, 0)


# What Babel (`_cldr_currency`) says of the contract's currencies (`schema.CURRENCIES`) in English, kept here
# so that a plan in one of them is written without importing Babel and loading its locale data (≈ 17 ms a
# process, a quarter of what `validate` added to reading the workbook). tests/test_money.py checks each
# against Babel.
ENGLISH_CONVENTIONS: dict[str, tuple[str, str, int]] = {
    "USD": ("$", "", 2), "EUR": ("€", "", 2), "GBP": ("£", "", 2), "JPY": ("¥", "", 0), "CHF": ("CHF ", "", 2),
    "CAD": ("CA$", "", 2), "AUD": ("A$", "", 2), "NZD": ("NZ$", "", 2), "SEK": ("SEK ", "", 2),
    "NOK": ("NOK ", "", 2), "DKK": ("DKK ", "", 2), "PLN": ("PLN ", "", 2), "CZK": ("CZK ", "", 2),
    "HUF": ("HUF ", "", 2), "INR": ("₹", "", 2), "CNY": ("CN¥", "", 2), "HKD": ("HK$", "", 2),
    "SGD": ("SGD ", "", 2), "KRW": ("₩", "", 0), "BRL": ("R$", "", 2), "MXN": ("MX$", "", 2),
    "ZAR": ("ZAR ", "", 2), "AED": ("AED ", "", 2), "SAR": ("SAR ", "", 2), "ILS": ("₪", "", 2),
    "TRY": ("TRY ", "", 2)}


@functools.lru_cache(maxsize=None)
def _currency(currency: str, locale: str = LOCALE) -> tuple[str, str, int]:
    """(text before the digits, text after them, the currency's decimal places) by the locale's convention:
    the contract's currencies in English from ENGLISH_CONVENTIONS, any other from Babel."""
    code = (currency or "").strip().upper() or "USD"
    if locale == "en" and code in ENGLISH_CONVENTIONS:
        return ENGLISH_CONVENTIONS[code]
    return _cldr_currency(code, locale)


def _cldr_currency(code: str, locale: str = LOCALE) -> tuple[str, str, int]:
    """`_currency` as Babel (CLDR) says it, for a currency code (`USD`) in a locale.

    Babel knows the symbol (`$`, `€`, `¥`, `CHF`) and the locale's pattern (`¤#,##0.00` in English: the
    symbol first). As CLDR's currency spacing says, a symbol that ends in a letter is set apart from the
    digits by a space (`CHF 1,450,000`), one ending in a sign is not (`CA$1,450,000`). Digits are always
    grouped `1,450,000.50` (Excel's number formats group by the machine's settings, not the file's).
    """
    from babel import Locale
    from babel.numbers import get_currency_precision, get_currency_symbol

    try:
        symbol = get_currency_symbol(code, locale) or code
        pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
        digits = get_currency_precision(code)
    except Exception:                      # a locale Babel does not know: the code, before the digits
        symbol, pattern, digits = code, "¤#,##0.00", 2
    first = min((pattern.find(ch) for ch in "#0" if ch in pattern), default=len(pattern))
    at = pattern.find("¤")
    if at < first:
        between = pattern[at + 1:first]
        space = " " if between.strip() == "" and (between or not _is_sign(symbol[-1])) else ""
        return symbol + space, "", digits
    between = pattern[max(pattern.rfind("0"), pattern.rfind("#")) + 1:at]
    space = " " if between.strip() == "" and (between or not _is_sign(symbol[0])) else ""
    return "", space + symbol, digits


def _is_sign(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch).startswith("S")


def share(value: float | None) -> str:
    """A fraction as a whole percent, rounded as Excel's `0%` rounds: 0.425 -> `43%`."""
    if value is None or _decimal(value).is_nan():
        return NONE
    return f"{_rounded(_decimal(value).scaleb(2), 0):.0f}%"


def signed_share(value: float | None) -> str:
    """Growth: 0.263 -> `+26%`, a hair above nothing `+0%` (as Excel's `+0%;-0%;0%` shows it); beyond ±999% it
    means nothing (a prior year of almost nothing): `n/m`."""
    if value is None or _decimal(value).is_nan():
        return NONE
    percent = _rounded(_decimal(value).scaleb(2), 0)
    if abs(percent) > GROWTH_LIMIT:
        return NOT_MEANINGFUL
    return f"+{percent:.0f}%" if value > 0 else f"-{abs(percent):.0f}%" if value < 0 else "0%"


def times(value: float | None) -> str:
    """Coverage: 1.432 -> `1.43×`."""
    return NONE if value is None else f"{_rounded(value, 2):.2f}×"


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


def as_typed(raw, number_format: str = "") -> str:
    """A cell's content as the rep typed and sees it, for a value that could not be used: text as it is, a
    number as written (`-500`; `150%` in a percent-formatted cell), a date as a date, TRUE/FALSE."""
    import re

    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and (raw != raw or raw in (float("inf"), float("-inf"))):
            return str(raw)
        exact, percent = _decimal(raw), "%" in re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format or "")
        exact = exact.scaleb(2) if percent else exact
        digits = f"{exact.normalize():f}"
        return digits + ("%" if percent else "")
    if isinstance(raw, dt.datetime) and raw.time() != dt.time():
        return f"{date(raw.date())} {raw:%H:%M}"
    if isinstance(raw, dt.date):
        return date(raw if not isinstance(raw, dt.datetime) else raw.date())
    return str(raw)


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


def money_format(currency: str, cents: bool = False, locale: str = LOCALE) -> str:
    """The Excel number format that shows what `money` shows: `"$"#,##0`, `"CHF "#,##0`, `"€"#,##0.00` with
    `cents` (never for JPY: `"¥"#,##0`). Negative amounts read `-$1,450,000` in both."""
    prefix, suffix, digits = _currency(currency, locale)
    places = "." + "0" * digits if cents and digits else ""
    return f"{_quoted(prefix)}#,##0{places}{_quoted(suffix)}"


def money_format_short(currency: str, value: float | None = None, axis: bool = False, locale: str = LOCALE) -> str:
    """The Excel number format of scaled money, for charts: data labels and axes.

    - `value` given: the format that shows that value exactly as `money_short` does, for its data label
      (1,450,000 -> `"$"#,##0.00,,"M"`: `$1.45M`; 950,000 -> `"$"#,##0,"K"`: `$950K`).
    - `value` given with `axis=True`: one unit for an axis whose top is `value`, M and B with one decimal
      (2,400,000 -> `"$"#,##0.0,,"M"`: `$0.0M`, `$0.5M` ... `$2.5M`; 600,000 -> `"$"#,##0,"K"`).
    - no value: one format for any axis, the unit by each tick's size
      (`[>=999500000]"$"#,##0.0,,,"B";[>=999500]"$"#,##0.0,,"M";"$"#,##0,"K"`: `$0K`, `$500K`, `$1.0M`).
    """
    prefix, suffix = (_quoted(part) for part in _currency(currency, locale)[:2])
    if value is None:
        return (f'[>=999500000]{prefix}#,##0.0,,,"B"{suffix};[>=999500]{prefix}#,##0.0,,"M"{suffix};'
                f'{prefix}#,##0,"K"{suffix}')
    _, power, places = _scaled(value) if _decimal(value).is_finite() else (None, 0, 0)
    if axis:
        power, places = max(power, 3), (1 if power >= 6 else 0)
    unit = f'"{UNITS[power]}"' if power else ""
    decimals = "." + "0" * places if places else ""
    return f'{prefix}#,##0{decimals}{"," * (power // 3)}{unit}{suffix}'


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '') + '"' if text else ""


def right_to_left(text: str) -> bool:
    """Whether `text` reads right to left: its first strong character is R or AL (Unicode's rule P2).

    One rule for every output, so the deck and the document mark the same text right to left."""
    import unicodedata

    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False
