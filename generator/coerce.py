"""Turning what a rep typed into typed values, tolerantly, as the contract's reading rules say.

Each parser returns a `Coerced`: the value (None when blank or unusable) and, when something is
off, the finding code with a plain message and hint. The reader attaches the place.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from . import schema


@dataclass(frozen=True)
class Coerced:
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
        return parser(raw, label, currency)
    return parser(raw, label)


def _text(raw: object, label: str) -> Coerced:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime):
        raw = raw.date() if raw.time() == dt.time() else raw
    if isinstance(raw, dt.date):
        return Coerced(raw.isoformat())
    return Coerced(str(raw).strip())


_MONEY_TEXT = re.compile(r"^\(?\s*(?P<cur>[A-Za-z]{3}|[$£€¥₹])?\s*(?P<num>[\d][\d,\s']*(\.\d+)?|\.\d+)\s*"
                         r"(?P<mult>k|m|mn|mm|bn|b)?\s*(?P<cur2>[A-Za-z]{3}|[$£€¥₹])?\s*\)?$", re.IGNORECASE)
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "mn": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}


def _money(raw: object, label: str, currency: str = schema.DEFAULT_CURRENCY) -> Coerced:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return Coerced(None, "wrong-kind", f"{label} should be an amount, not {_show(raw)}.",
                       "Type a number such as 250000.")
    if isinstance(raw, str):
        text = raw.strip()
        negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
        match = _MONEY_TEXT.match(text.lstrip("-").strip())
        if not match:
            return Coerced(None, "wrong-kind", f"{label} should be an amount, not {_show(raw)}.",
                           "Type a number such as 250000.")
        number = float(re.sub(r"[,\s']", "", match["num"])) * _MULTIPLIERS.get((match["mult"] or "").lower(), 1)
        number = -number if negative else number
        if number < 0:
            return _negative(label, number)
        return Coerced(number, "value-coerced", f"{label} {_show(raw)} was typed as text; read as {number:,.0f}.",
                       "Type the amount as a number so Excel can add it up.")
    if raw < 0:
        return _negative(label, raw)
    return Coerced(float(raw))


def _negative(label: str, number: float) -> Coerced:
    return Coerced(None, "out-of-range", f"{label} is negative ({number:,.0f}).", "Amounts must be 0 or more.")


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
    """`40%`, `0.4` and `40` all mean 40%.

    A cell formatted as a percentage holds a fraction (150% is 1.5, out of range); a whole number
    typed into it (40, shown as 4000%) is read as 40% with a warning.
    """
    if isinstance(raw, str):
        text = raw.strip()
        try:
            number = float(text.rstrip("%").strip())
        except ValueError:
            return Coerced(None, "wrong-kind", f"{label} should be a percentage, not {_show(raw)}.",
                           "Type a percentage such as 40%.")
        number = number / 100 if text.endswith("%") or number > 1 else number
        warning = ("value-coerced", f"{label} {_show(raw)} was typed as text; read as {number:.0%}.",
                   "Type it as a number formatted as a percentage.")
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number, warning = float(raw), None
        if number > 1 and (not percent_format or (number.is_integer() and number <= 100)):
            number /= 100
            if percent_format:
                warning = ("value-coerced", f"{label} {_show(raw)} shows as {raw:.0f}00%; read as {number:.0%}.",
                           "Type the percentage with its % sign, e.g. 40%.")
    else:
        return Coerced(None, "wrong-kind", f"{label} should be a percentage, not {_show(raw)}.",
                       "Type a percentage such as 40%.")
    if not 0 <= number <= 1:
        return Coerced(None, "out-of-range", f"{label} {_show(raw)} is outside 0-100%.",
                       "A probability is between 0% and 100%.")
    return Coerced(number, *warning) if warning else Coerced(number)


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
    by_key = {match_key(c): c for c in choices}
    synonym = schema.CHOICE_SYNONYMS.get(match_key(text))
    if synonym in choices:
        return f"Did you mean '{synonym}'?"
    near = difflib.get_close_matches(match_key(text), list(by_key), n=1, cutoff=0.4)
    if not near:  # a typed prefix ("Build") or a word inside a choice ("trust")
        near = [k for k in by_key if k.startswith(match_key(text)) or match_key(text) in k.split()][:1]
    return f"Did you mean '{by_key[near[0]]}'?" if near else f"Choose one of: {', '.join(choices)}."


_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}


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
