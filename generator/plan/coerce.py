"""Turning what a rep typed into typed values, tolerantly, as the contract's reading rules say.

Each parser returns a `Coerced`: the value (None when blank or unusable) and, when something is
off, the finding code with a plain message and hint. The reader attaches the place.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from . import schema
from ..records import record


@record
class Coerced:
    """A typed value read as its column's kind, or the finding that says why it could not be."""

    value: object = None
    code: str | None = None      # a findings.CATALOGUE code, or None when all is well
    message: str = ""
    hint: str = ""


BLANK = Coerced()


def coerce(kind: str, raw: object, label: str, choices: tuple[str, ...] = (), *,
           number_format: str = "", currency: str = schema.DEFAULT_CURRENCY) -> Coerced:
    """The typed value of one cell of `kind`; `label` names the field in messages.

    `number_format` is the cell's Excel number format (a percent format changes what 40 means);
    `currency` is the plan's, so an amount typed in another currency is refused, not added in.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return BLANK
    parser = _PARSERS[kind]
    if kind == schema.CHOICE:
        return parser(raw, label, choices)
    if kind == schema.PERCENT:
        return parser(raw, label, "%" in (number_format or ""))
    if kind == schema.MONEY:
        return parser(raw, label, currency, number_format or "")
    return parser(raw, label)


def _text(raw: object, label: str) -> Coerced:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime):
        raw = raw.date() if raw.time() == dt.time() else raw
    if isinstance(raw, dt.date):
        return Coerced(raw.isoformat())
    return Coerced(str(raw).strip())


# Money ------------------------------------------------------------------------------------
#
# A typed amount is read only when it can mean one thing; any other is an error at its cell that
# names the readings it could have. Never a silent guess (README, "How numbers are read").

_DOLLARS = ("USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN")   # the currencies written with a plain `$`
# What reps write before or after an amount -> the ISO codes it can stand for (keys lower-case).
CURRENCY_TOKENS = {
    "$": _DOLLARS, "us$": ("USD",), "c$": ("CAD",), "ca$": ("CAD",), "can$": ("CAD",), "a$": ("AUD",),
    "au$": ("AUD",), "nz$": ("NZD",), "hk$": ("HKD",), "s$": ("SGD",), "sg$": ("SGD",), "mx$": ("MXN",),
    "r$": ("BRL",), "€": ("EUR",), "£": ("GBP",), "¥": ("JPY", "CNY"), "￥": ("JPY", "CNY"), "₹": ("INR",),
    "₩": ("KRW",), "₪": ("ILS",), "₺": ("TRY",), "zł": ("PLN",), "kč": ("CZK",), "ft": ("HUF",),
    "kr": ("SEK", "NOK", "DKK"), "kr.": ("SEK", "NOK", "DKK"), "fr.": ("CHF",), "₽": ("RUB",), "₱": ("PHP",),
    "฿": ("THB",), "₫": ("VND",), "₦": ("NGN",), "₴": ("UAH",),
}
_SYMBOL_CHARS = "".join(sorted({t for t in CURRENCY_TOKENS if len(t) == 1}))
# ISO codes known besides the plan's choices, so a foreign amount is named as such, not as a stray word.
_CODES = frozenset(schema.CURRENCIES) | frozenset((
    "RUB", "TWD", "THB", "PHP", "IDR", "MYR", "VND", "ARS", "CLP", "COP", "PEN", "EGP", "NGN", "KES", "QAR",
    "KWD", "RON", "BGN", "ISK", "UAH"))
# Scale words, in the languages reps use, matched ignoring case -> power of ten.
_SCALES = {
    "k": 3, "tsd": 3, "tsd.": 3, "thousand": 3,
    "m": 6, "mm": 6, "mn": 6, "mln": 6, "mio": 6, "mio.": 6, "million": 6, "millions": 6,
    "b": 9, "bn": 9, "mrd": 9, "mrd.": 9, "billion": 9,
}


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CURRENCY_RE = rf"(?:{_alternatives(CURRENCY_TOKENS)}|[A-Za-z]{{3}}(?![A-Za-z]))"
_SCALE_RE = rf"(?:{_alternatives(_SCALES)})"
_PREFIX = re.compile(rf"\s*(?P<sign>[-−])?\s*(?P<cur>{_CURRENCY_RE})?\s*(?P<sign2>[-−])?\s*", re.IGNORECASE)
_SUFFIX = re.compile(rf"\s*(?P<scale>{_SCALE_RE})?\s*(?P<cur>{_CURRENCY_RE})?\s*", re.IGNORECASE)
_SPACES = " \u00a0\u202f\u2009"
_NUMBER = re.compile(rf"(?:[0-9]+|(?=[.,][0-9]))(?:[.,'’{_SPACES}][0-9]+)*")
# Currencies in an Excel number format: [$€-407], [$EUR], "£"#,##0, "CHF "#,##0, $#,##0, \€#,##0.
_FORMAT_LOCALE = re.compile(r"\[\$([^\]]*?)(?:-[0-9A-Fa-f]+)?\]")
_FORMAT_QUOTED = re.compile(r'"([^"]*)"')
_TOKEN_IN_TEXT = re.compile(rf"(?<![A-Za-z])(?:{_alternatives(CURRENCY_TOKENS)}|[A-Za-z]{{3}})(?![A-Za-z])",
                            re.IGNORECASE)


def _money(raw: object, label: str, currency: str = schema.DEFAULT_CURRENCY, number_format: str = "") -> Coerced:
    currency = (currency or schema.DEFAULT_CURRENCY).upper()
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return _not_an_amount(raw, label)
    if isinstance(raw, str):
        return _money_text(raw, label, currency)
    for token in _format_currencies(number_format):
        codes = _codes_of(token, currency)
        if codes is not None and currency not in codes:
            return Coerced(None, "currency-mismatch",
                           f"{label} {_amount(Decimal(repr(float(raw))))} is formatted as {_name_of(token, codes)}, "
                           f"not the plan's currency {currency}.",
                           f"Convert it to {currency}, type the number and format the cell as {currency}; every "
                           f"amount of the plan is in {currency}.")
    if raw < 0:
        return _negative(label, raw)
    return Coerced(float(raw))


def _money_text(raw: str, label: str, currency: str) -> Coerced:
    text = raw.strip()
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1].strip()
    number = _NUMBER.search(text)
    if number is None:
        return _not_an_amount(raw, label)
    readings = _readings(number.group())
    if readings is None:
        return Coerced(None, "wrong-kind", f"{label} {_show(raw)} is not an amount that can be read.",
                       "Type the number without separators, such as 250000.")
    before, after = text[:number.start()], text[number.end():]
    prefix, suffix = _PREFIX.fullmatch(before), _SUFFIX.fullmatch(after)
    scale = 10 ** _SCALES[suffix["scale"].lower()] if suffix and suffix["scale"] else 1
    if suffix is None and (lead := re.match(rf"\s*{_SCALE_RE}(?![A-Za-z])", after, re.IGNORECASE)):
        scale, after = 10 ** _SCALES[lead.group().strip().lower()], after[lead.end():]   # 500k-600k: '-600k'
    readings = [r * scale for r in readings]
    tokens = [m["cur"] for m in (prefix, suffix) if m is not None and m["cur"]]
    unknown = [w.strip() for w, m in ((before, prefix), (after, suffix)) if m is None and w.strip()]
    unknown += [t for t in tokens if _codes_of(t, currency) is None]     # three letters that are no currency: TBD
    if unknown:
        return Coerced(None, "value-ambiguous",
                       f"{label} {_show(raw)} is more than an amount ({', '.join(map(repr, unknown))}); "
                       "it was not read.",
                       f"{_show(raw)} could mean {_or(readings)} or an amount not settled yet: type the amount "
                       "alone, or leave the cell blank until it is known.")
    foreign = next(((t, codes) for t in tokens if currency not in (codes := _codes_of(t, currency))), None)
    if len(readings) > 1:
        in_currency = f", in {currency}" if foreign else ""
        return Coerced(None, "value-ambiguous", f"{label} {_show(raw)} could be read more than one way; "
                                                "it was not read.",
                       f"{_show(raw)} could be {_or(readings)}: type the number without separators{in_currency}.")
    if foreign is not None:
        return Coerced(None, "currency-mismatch",
                       f"{label} {_show(raw)} is in {_name_of(*foreign)}, not the plan's currency {currency}.",
                       f"Convert it to {currency} and type the number; every amount of the plan is in {currency}.")
    negative = negative or bool(prefix is not None and (prefix["sign"] or prefix["sign2"]))
    value = -readings[0] if negative else readings[0]
    if value < 0:
        return _negative(label, value)
    return Coerced(float(value), "value-coerced",
                   f"{label} {_show(raw)} was typed as text; read as {_amount(value)}.",
                   "Type the amount as a number so Excel can add it up.")


def _readings(typed: str) -> list[Decimal] | None:
    """What a typed number can mean: one reading; two when a `.` or `,` could be a decimal mark or a
    thousands separator (`950.000`, `1,5`); None when its separators make no sense (`1,2,3`)."""
    typed = re.sub(f"[{_SPACES}]", " ", typed).replace("’", "'")
    groups, marks = re.split(r"[.,' ]", typed), re.findall(r"[.,' ]", typed)
    if not marks:
        return [Decimal(typed)]
    whole = Decimal("".join(groups))                 # every mark a thousands separator

    def thousands(parts: list[str]) -> bool:          # 1-3 digits, then groups of exactly three
        return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])

    last = marks[-1]
    if len(set(marks)) == 1 and (last in " '" or len(marks) > 1):          # 75 000, 1'250'000, 2,400,000
        return [whole] if thousands(groups) else None
    if last not in ".," or marks.count(last) != 1 or len(set(marks)) > 2:
        return None
    if len(marks) > 1 and not thousands(groups[:-1]):
        return None
    decimal = Decimal(f"{''.join(groups[:-1]) or '0'}.{groups[-1]}")
    if len(marks) > 1:                                # 1,234.56, 1.234,56, 1 234,5: the last mark is the decimal
        return [decimal, whole] if len(groups[-1]) == 3 else [decimal]
    integer, fraction = groups
    if last == "," or (len(fraction) == 3 and integer.strip("0") and len(integer) <= 3):
        return [decimal, whole]                       # a lone comma, or 950.000
    return [decimal]                                  # 1.5, 0.950, 1234.567


def _codes_of(token: str, currency: str) -> tuple[str, ...] | None:
    """The ISO codes a currency token can stand for; None when it is not a currency (TBD)."""
    token = token.strip()
    if token.lower() in CURRENCY_TOKENS:
        return CURRENCY_TOKENS[token.lower()]
    code = token.upper()
    return (code,) if len(code) == 3 and (code in _CODES or code == currency) else None


def _name_of(token: str, codes: tuple[str, ...]) -> str:
    return "dollars" if codes == _DOLLARS else " or ".join(codes) if len(codes) > 1 else codes[0]


def _format_currencies(number_format: str) -> list[str]:
    """The currency symbols and codes an Excel number format shows, in order."""
    fmt = number_format or ""
    tokens = [m[1].strip() for m in _FORMAT_LOCALE.finditer(fmt) if m[1].strip()]
    rest = _FORMAT_LOCALE.sub("", fmt)
    for quoted in _FORMAT_QUOTED.findall(rest):
        tokens += _TOKEN_IN_TEXT.findall(quoted)
    rest = re.sub(r"\[[^\]]*\]", "", _FORMAT_QUOTED.sub("", rest))       # colours and conditions
    return tokens + re.findall(f"[{re.escape(_SYMBOL_CHARS)}]", rest)


def _amount(value: Decimal) -> str:
    """2,400,000, 1,200.50 or 0.125: exact and grouped."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    value = value.normalize()
    return f"{value:,.2f}" if value.as_tuple().exponent >= -2 else f"{value:,f}"


def _or(readings: list[Decimal]) -> str:
    return " or ".join(_amount(r) for r in readings)


def _not_an_amount(raw: object, label: str) -> Coerced:
    return Coerced(None, "wrong-kind", f"{label} should be an amount, not {_show(raw)}.",
                   "Type a number such as 250000.")


def _negative(label: str, number) -> Coerced:
    return Coerced(None, "out-of-range", f"{label} is negative ({_amount(Decimal(repr(float(number))))}).",
                   "Amounts must be 0 or more.")


_MONTHS = {m.lower(): i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


def _date(raw: object, label: str) -> Coerced:
    if isinstance(raw, dt.datetime):
        return Coerced(raw.date())
    if isinstance(raw, dt.date):
        return Coerced(raw)
    if not isinstance(raw, str):
        return Coerced(None, "wrong-kind", f"{label} should be a date, not {_show(raw)}.",
                       "Type a date such as 2027-03-31.")
    parsed, ambiguous = _parse_date_text(raw.strip())
    if parsed is None:
        hint = ("Day and month could be either way round; type it as 2027-03-04."
                if ambiguous else "Type a date such as 2027-03-31.")
        return Coerced(None, "wrong-kind", f"{label} {_show(raw)} is not a date that can be read without doubt.",
                       hint)
    return Coerced(parsed, "value-coerced", f"{label} {_show(raw)} was typed as text; read as {parsed.isoformat()}.",
                   "Type it as a real date so Excel sorts and checks it.")


def _parse_date_text(text: str) -> tuple[dt.date | None, bool]:
    """(date, ambiguous): ISO, day/month/year when unambiguous, and written month names."""
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), False
        if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a != b and a <= 12 and b <= 12:
                return None, True
            day, month = (a, b) if a > 12 or a == b else (b, a)
            return dt.date(year, month, day), False
        if m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})", text):
            return dt.date(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1])), False
        if m := re.fullmatch(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})", text):
            return dt.date(int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2])), False
    except (ValueError, KeyError):
        pass
    return None, False


def _percent(raw: object, label: str, percent_format: bool) -> Coerced:
    """`40%`, `0.4` and `40` all mean 40%; a number that could be either a fraction or a percent is refused.

    Typed with a % sign, it is a percent. A cell formatted as a percentage holds a fraction (150% is
    1.5, out of range); a whole number typed into it (40, shown as 4000%) is read as 40% with a
    warning. Elsewhere (a General cell, or text without %), 0 and fractions below 1 are fractions,
    2 to 100 are percents (with a warning), and 1 up to 2 could be either, so it is an error.
    """
    if isinstance(raw, str):
        text = raw.strip()
        try:
            number = float(text[:-1].strip() if text.endswith("%") else text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            return Coerced(None, "wrong-kind", f"{label} should be a percentage, not {_show(raw)}.",
                           "Type a percentage such as 40%.")
        if not text.endswith("%"):
            return _plain_probability(number, raw, label, typed_as_text=True)
        number /= 100
        warning = ("value-coerced", f"{label} {_show(raw)} was typed as text; read as {_pct(number)}.",
                   "Type it as a number formatted as a percentage.")
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if not percent_format:
            return _plain_probability(float(raw), raw, label, typed_as_text=False)
        number, warning = float(raw), None
        if number > 1 and number.is_integer() and number <= 100:
            number /= 100
            warning = ("value-coerced", f"{label} {_show(raw)} shows as {raw:.0f}00%; read as {_pct(number)}.",
                       "Type the percentage with its % sign, e.g. 40%.")
    else:
        return Coerced(None, "wrong-kind", f"{label} should be a percentage, not {_show(raw)}.",
                       "Type a percentage such as 40%.")
    if not 0 <= number <= 1:
        return _out_of_range_percent(raw, label)
    return Coerced(number, *warning) if warning else Coerced(number)


def _plain_probability(number: float, raw: object, label: str, typed_as_text: bool) -> Coerced:
    """A probability typed as a plain number, with nothing saying whether it is a fraction or a percent."""
    if not 0 <= number <= 100:
        return _out_of_range_percent(raw, label)
    if 1 <= number < 2:
        return Coerced(None, "value-ambiguous", f"{label} {_show(raw)} could be a fraction or a percentage; "
                                                "it was not read.",
                       f"{number:g} could be {number:g}% or {number * 100:g}%: type {number:g}% or "
                       f"{number * 100:g}%.")
    value = number / 100 if number >= 2 else number
    if typed_as_text:
        return Coerced(value, "value-coerced", f"{label} {_show(raw)} was typed as text; read as {_pct(value)}.",
                       "Type the percentage with its % sign, e.g. 40%.")
    if number >= 2:
        return Coerced(value, "value-coerced", f"{label} {_show(raw)} is in a cell not formatted as a percentage; "
                                               f"read as {_pct(value)}.",
                       "Type the percentage with its % sign, e.g. 40%.")
    return Coerced(value)


def _out_of_range_percent(raw: object, label: str) -> Coerced:
    return Coerced(None, "out-of-range", f"{label} {_show(raw)} is outside 0-100%.",
                   "A probability is between 0% and 100%.")


def _pct(fraction: float) -> str:
    """0.4 -> 40%, 0.125 -> 12.5%."""
    return f"{round(fraction * 100, 6):g}%"


def _score(raw: object, label: str) -> Coerced:
    coerced = isinstance(raw, str)
    try:
        number = float(raw.strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        number = None
    if isinstance(raw, bool) or number is None or not number.is_integer():
        return Coerced(None, "wrong-kind", f"{label} should be a whole number from 1 to 5, not {_show(raw)}.",
                       "Type 1, 2, 3, 4 or 5.")
    if not 1 <= number <= 5:
        return Coerced(None, "out-of-range", f"{label} {_show(raw)} is outside 1-5.", "Type 1, 2, 3, 4 or 5.")
    if coerced:
        return Coerced(int(number), "value-coerced", f"{label} {_show(raw)} was typed as text; read as {int(number)}.",
                       "Type it as a number.")
    return Coerced(int(number))


def match_key(text: object) -> str:
    """How names are compared everywhere (choices, headers, people): case and spacing ignored."""
    return " ".join(str(text).split()).lower() if text is not None else ""


def _choice(raw: object, label: str, choices: tuple[str, ...]) -> Coerced:
    if isinstance(raw, bool) and set(choices) >= {"Yes", "No"}:
        return Coerced("Yes" if raw else "No")
    text = _text(raw, label).value
    by_key = {match_key(c): c for c in choices}
    if match_key(text) in by_key:
        return Coerced(by_key[match_key(text)])
    return Coerced(None, "choice-invalid", f"{label} {_show(raw)} is not one of: {', '.join(choices)}.",
                   _suggest(text, choices))


def _suggest(text: str, choices: tuple[str, ...]) -> str:
    """The nearest choice by spelling, or by what reps usually mean ('Won' -> 'Secured')."""
    import difflib

    by_key = {match_key(c): c for c in choices}
    synonym = schema.CHOICE_SYNONYMS.get(match_key(text))
    if synonym in choices:
        return f"Did you mean '{synonym}'?"
    near = difflib.get_close_matches(match_key(text), list(by_key), n=1, cutoff=0.4)
    if not near:  # a typed prefix ("Build") or a word inside a choice ("trust")
        near = [k for k in by_key if k.startswith(match_key(text)) or match_key(text) in k.split()][:1]
    return f"Did you mean '{by_key[near[0]]}'?" if near else f"Choose one of: {', '.join(choices)}."


# A lone symbol typed as the plan's currency: the first currency each one-character sign stands for.
_CURRENCY_SYMBOLS = {sign: codes[0] for sign, codes in CURRENCY_TOKENS.items() if len(sign) == 1}


def _currency(raw: object, label: str) -> Coerced:
    text = str(raw).strip()
    if re.fullmatch(r"[A-Za-z]{3}", text):
        code = text.upper()
        if code in schema.CURRENCIES or text == code:
            return Coerced(code)
        return Coerced(code, "value-coerced", f"{label} {_show(raw)} read as {code}.", "Type the code in capitals.")
    if text in _CURRENCY_SYMBOLS:
        code = _CURRENCY_SYMBOLS[text]
        return Coerced(code, "value-coerced", f"{label} {_show(raw)} read as {code}.", f"Type the ISO code {code}.")
    return Coerced(None, "choice-invalid", f"{label} {_show(raw)} is not an ISO 4217 currency code.",
                   _suggest(text, schema.CURRENCIES))


def _mark(raw: object, label: str) -> Coerced:
    if isinstance(raw, bool):
        return Coerced(raw)
    text = _text(raw, label).value.lower()
    if text in schema.MARK_WORDS:
        return Coerced(True)
    if text in ("n", "no", "false", "0", "-"):
        return Coerced(False)
    return Coerced(False, "wrong-kind", f"{label} mark {_show(raw)} is not understood.",
                   "Type X where the person is involved, or leave it blank.")


def _show(raw: object) -> str:
    text = str(raw)
    return repr(text if len(text) <= 40 else text[:39] + "…")


_PARSERS = {
    schema.TEXT: _text, schema.LONG_TEXT: _text, schema.MONEY: _money, schema.DATE: _date,
    schema.PERCENT: _percent, schema.SCORE: _score, schema.CHOICE: _choice, schema.MARK: _mark,
    schema.CURRENCY: _currency,
}
