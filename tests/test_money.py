"""One money rule for every output: whole units in tables, scaled units in headlines and charts, cents only
when the plan has them, one rounding, the currency as its convention writes it; growth beyond ±999% is `n/m`;
and a value the plan cannot use reads as typed, marked, wherever it appears."""
from __future__ import annotations

import csv
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import AS_OF, harbor_data, libreoffice, needs_libreoffice
from outputs import deck_text, document_text
from workbooks import write_plan

from generator import fmt
from generator.kit import default_kit
from generator.pipeline import build, view_of
from generator.render import report
from generator.render.checked.styles import number_format


# The rule, as text and as Excel number formats -------------------------------------------------------

@pytest.mark.parametrize("currency, whole, cents, short, excel, excel_cents", [
    ("USD", "$1,450,000", "$1,450,000.50", "$1.45M", '"$"#,##0', '"$"#,##0.00'),
    ("EUR", "€1,450,000", "€1,450,000.50", "€1.45M", '"€"#,##0', '"€"#,##0.00'),
    ("GBP", "£1,450,000", "£1,450,000.50", "£1.45M", '"£"#,##0', '"£"#,##0.00'),
    ("JPY", "¥1,450,000", "¥1,450,001", "¥1.45M", '"¥"#,##0', '"¥"#,##0'),       # no minor unit: never cents
    ("CHF", "CHF 1,450,000", "CHF 1,450,000.50", "CHF 1.45M", '"CHF "#,##0', '"CHF "#,##0.00'),
    ("SEK", "SEK 1,450,000", "SEK 1,450,000.50", "SEK 1.45M", '"SEK "#,##0', '"SEK "#,##0.00'),
    ("CAD", "CA$1,450,000", "CA$1,450,000.50", "CA$1.45M", '"CA$"#,##0', '"CA$"#,##0.00'),
])
def test_money_is_written_as_the_currencys_convention_has_it(currency, whole, cents, short, excel, excel_cents):
    assert fmt.money(1_450_000.5, currency) == fmt.money(1_450_000.5, currency, cents=False) \
        == whole.replace("1,450,000", "1,450,001")
    assert fmt.money(1_450_000, currency) == whole
    assert fmt.money(1_450_000.5, currency, cents=True) == cents
    assert fmt.money_short(1_450_000, currency) == short
    assert (fmt.money_format(currency), fmt.money_format(currency, cents=True)) == (excel, excel_cents)
    assert shown(1_450_000, fmt.money_format(currency)) == whole
    assert shown(1_450_000.5, fmt.money_format(currency, cents=True)) == cents


def test_the_contracts_currencies_read_as_babel_says_without_loading_it():
    """The conventions kept for the contract's currencies are Babel's own (a Babel with other CLDR data shows
    here), and every other currency or locale still asks Babel."""
    from generator.plan import schema

    assert set(fmt.ENGLISH_CONVENTIONS) == set(schema.CURRENCIES)
    assert {code: fmt._cldr_currency(code, "en") for code in schema.CURRENCIES} == fmt.ENGLISH_CONVENTIONS
    assert fmt._currency(" usd ") == fmt.ENGLISH_CONVENTIONS["USD"] and fmt._currency("") == ("$", "", 2)
    assert fmt._currency("THB") == fmt._cldr_currency("THB", "en") == ("THB ", "", 2)
    assert fmt._currency("EUR", "de") == ("", " €", 2)                    # German: the symbol after


@pytest.mark.parametrize("value, short", [
    (0, "$0"), (999, "$999"), (999.5, "$1K"), (950_000, "$950K"), (999_400, "$999K"), (999_600, "$1M"),
    (1_450_000, "$1.45M"), (1_500_000, "$1.5M"), (2_000_000, "$2M"), (1_995_000, "$2M"), (12_345_678, "$12.3M"),
    (123_456_789, "$123M"), (12_300_000_000, "$12.3B"), (9_876_543_210.55, "$9.88B"), (-1_450_000, "-$1.45M"),
    (None, "—"),
])
def test_scaled_money_has_three_significant_digits_and_its_excel_format_shows_the_same(value, short):
    assert fmt.money_short(value, "USD") == short
    if value is not None:
        assert shown(value, fmt.money_format_short("USD", value)) == short


def test_the_scaled_excel_formats_are_exactly_these():
    assert fmt.money_format_short("USD", 1_450_000) == '"$"#,##0.00,,"M"'
    assert fmt.money_format_short("USD", 950_000) == '"$"#,##0,"K"'
    assert fmt.money_format_short("EUR", 12_300_000_000) == '"€"#,##0.0,,,"B"'
    assert fmt.money_format_short("CHF", 2_000_000) == '"CHF "#,##0,,"M"'
    assert fmt.money_format_short("USD") == '[>=999500000]"$"#,##0.0,,,"B";[>=999500]"$"#,##0.0,,"M";"$"#,##0,"K"'
    assert fmt.money_format_short("USD", 2_400_000, axis=True) == '"$"#,##0.0,,"M"'      # an axis up to $2.4M
    assert fmt.money_format_short("JPY", 600_000, axis=True) == '"¥"#,##0,"K"'
    assert shown(500_000, fmt.money_format_short("USD", 2_400_000, axis=True)) == "$0.5M"


def test_one_rounding_half_away_from_zero_as_excel_rounds():
    # Python's own format rounds half to even; the chart and the document once disagreed by a dollar
    assert fmt.money(98_765_432_112.5, "USD") == "$98,765,432,113" == shown(98_765_432_112.5, '"$"#,##0')
    assert fmt.money(98_765_432_112.5, "USD", cents=True) == "$98,765,432,112.50"
    assert fmt.money(2.675, "USD", cents=True) == "$2.68"
    assert fmt.money(-0.4, "USD") == "$0"
    assert fmt.share(0.425) == "43%"


def test_growth_beyond_999_percent_is_not_meaningful():
    assert [fmt.signed_share(v) for v in (1e6, 33_366_699_731.43, -10.0, 9.995)] == ["n/m"] * 4
    assert [fmt.signed_share(v) for v in (0.263, -0.5, 9.99, 0.0, None)] == ["+26%", "-50%", "+999%", "0%", "—"]
    assert [fmt.signed_share(v) for v in (0.004, -0.004)] == ["+0%", "-0%"]       # as Excel shows them


def test_cents_are_decided_by_what_the_rep_typed():
    assert fmt.has_cents(1200.5) and fmt.has_cents(0.01)
    assert not any(fmt.has_cents(v) for v in (1200, 1200.001, 1_450_000.0, None))
    assert not fmt.has_cents(1200.5, "JPY")


def test_summary_number_formats_follow_the_cents_decision():
    assert number_format("money", "EUR") == '"€"#,##0'
    assert number_format("money", "EUR", cents=True) == '"€"#,##0.00'
    assert number_format("share", "EUR") == "0%"


# The same strings in every output ---------------------------------------------------------------------

def built(folder: Path, edit=None):
    data = harbor_data()
    if edit:
        edit(data)
    folder.mkdir(parents=True, exist_ok=True)
    result, paths = build(write_plan(data, folder / "plan.xlsx"), folder / "out", AS_OF)
    by_suffix = {p.suffix: p for p in paths}
    view = view_of(result, default_kit())
    return {"view": view, "result": result, "deck": deck_text(by_suffix[".pptx"]),
            "document": document_text(by_suffix[".docx"]), "workbook": by_suffix[".xlsx"],
            "summary": summary_shows(by_suffix[".xlsx"]), "report": report.summary_line(view)}


def in_currency(code: str):
    def edit(data):
        data["fields"]["currency"] = code
    return edit


@pytest.fixture(scope="module", params=["USD", "EUR", "JPY"])
def outputs(request, tmp_path_factory):
    return built(tmp_path_factory.mktemp(request.param.lower()), in_currency(request.param))


@pytest.fixture(scope="module")
def with_cents(tmp_path_factory):
    def edit(data):
        data["lists"]["Opportunities"][2]["Value"] = 600_000.5      # a Pipeline amount with 50 cents
    return built(tmp_path_factory.mktemp("cents"), edit)


def summary_shows(path: Path) -> dict[str, list[str]]:
    """Summary label (column B) -> what its figure cells (C and D) show: money through its number format,
    any other value as it is."""
    ws = openpyxl.load_workbook(path)["Summary"]
    return {row[1].value: [shown(cell.value, cell.number_format) if "#,##0" in cell.number_format else cell.value
                           for cell in row[2:4] if cell.value is not None]
            for row in ws.iter_rows(min_col=1, max_col=4) if row[1].value}


def test_gap_and_secured_read_the_same_in_the_deck_document_summary_and_report(outputs):
    view = outputs["view"]
    symbol = {"USD": "$", "EUR": "€", "JPY": "¥"}[view.currency]
    gap, secured = view.figure("gap_to_target"), view.figure("secured")
    assert (gap.text, secured.text) == (f"{symbol}1,450,000", f"{symbol}950,000")
    assert (gap.short, secured.short) == (f"{symbol}1.45M", f"{symbol}950K")
    assert outputs["summary"]["Gap to target"] == [gap.text]
    assert outputs["summary"]["Secured"] == [secured.text, secured.text]
    assert outputs["summary"]["Annual target"] == [view.figure("annual_target").text]
    assert f"gap to target {gap.text}" in outputs["report"]
    for output in ("deck", "document"):
        assert gap.text in outputs[output] and secured.text in outputs[output], output


def test_no_cents_anywhere_in_a_plan_without_them(outputs):
    cents = re.compile(r"[$€¥][0-9][0-9,]*\.[0-9]{2}(?![0-9KMB])")          # not a scaled $1.45M
    assert not outputs["view"].cents
    for output in ("deck", "document", "report"):
        assert not cents.findall(outputs[output]), output
    assert not any(cents.findall(v) for values in outputs["summary"].values() for v in values if isinstance(v, str))


def test_the_deck_shows_scaled_money_in_its_callouts(outputs):
    """Headlines and callouts are scaled (`$1.45M`): the deck lays out `Figure.short`."""
    assert outputs["view"].figure("gap_to_target").short in outputs["deck"]


def test_a_plan_with_cents_shows_cents_everywhere(with_cents):
    view = with_cents["view"]
    assert view.cents
    pipeline, gap = view.figure("pipeline"), view.figure("gap_to_target")
    assert (pipeline.text, gap.text, view.figure("annual_target").text) == \
        ("$850,000.50", "$1,450,000.00", "$2,400,000.00")
    assert with_cents["summary"]["Pipeline"] == [pipeline.text]
    assert with_cents["summary"]["Gap to target"] == [gap.text]
    assert f"gap to target {gap.text}" in with_cents["report"]
    value = next(r for r in view.list("Opportunities").rows if r.values["value"] == 600_000.5)["value"]
    assert value.text == "$600,000.50"
    for output in ("deck", "document"):
        assert gap.text in with_cents[output] and value.text in with_cents[output], output
    target = next(r for r in view.list("Opportunities").rows if r.values["value"] == 400_000)["value"]
    assert target.text == "$400,000.00"                                   # cents everywhere, once decided


@needs_libreoffice
def test_excel_shows_the_summary_as_the_view_writes_it(tmp_path, soffice, with_cents):
    """LibreOffice renders the Summary's numbers through their formats: the same digits as the view's text."""
    out = soffice(with_cents["workbook"], "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
                  tmp_path / "csv")[0]
    summary = out.with_name(f"{out.stem}-Summary.csv")
    with summary.open(encoding="utf-8", newline="") as lines:
        rows = {row[1]: [v for v in row[2:4] if v] for row in csv.reader(lines) if len(row) > 2}
    view = with_cents["view"]
    for key in ("annual_target", "secured", "pipeline", "gap_to_target", "weighted_open", "growth_vs_prior"):
        figure = view.figure(key)
        assert set(rows[figure.label]) == {figure.text}, key


def test_growth_of_a_million_times_reads_n_m_in_every_output(tmp_path):
    def edit(data):
        data["fields"]["prior_year_actual"] = 2           # against a target of 2.4 million
    shown_ = built(tmp_path, edit)
    growth = shown_["view"].figure("growth_vs_prior")
    assert growth.value > 1e5 and growth.text == growth.short == "n/m"
    assert shown_["summary"]["Growth vs prior year"] == ["n/m"]
    for output in ("deck", "document"):
        assert "n/m" in shown_[output] and not re.findall(r"[+-][0-9]{4,}%", shown_[output]), output


# Values the plan cannot use, as typed, marked -----------------------------------------------------------

@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    def edit(data):
        data["lists"]["Opportunities"][1]["Stage"] = "Won"
        data["lists"]["Opportunities"][2]["Probability"] = 1.5        # 150% in the template's percent cell
    return built(tmp_path_factory.mktemp("refused"), edit)


def test_a_refused_stage_and_probability_read_as_typed_in_the_deck_and_the_document(refused, tmp_path_factory):
    rows = refused["view"].list("Opportunities").rows
    stage, probability = rows[1]["stage"], rows[2]["probability"]
    assert (stage.text, stage.invalid, probability.text, probability.invalid) == ("Won", True, "150%", True)
    clean = built(tmp_path_factory.mktemp("clean"))
    for output in ("deck", "document"):
        for typed in ("Won", "150%"):
            assert typed in refused[output] and typed not in clean[output], (output, typed)


# A minimal Excel number-format renderer, written apart from fmt: what a cell of the Summary shows. --------

def shown(value, number_format: str) -> str:
    """What Excel shows for `value` in a one-section `number_format`: quoted text, `#,##0`, decimals, `,` scaling,
    `%`; rounded half away from zero."""
    if isinstance(value, str):
        return value
    prefix, body, commas, suffix = re.fullmatch(r'((?:"[^"]*")*)([#,]*0(?:\.0+)?)(,*)((?:"[^"]*"|%)*)',
                                                number_format).groups()
    decimals = len(body.split(".")[1]) if "." in body else 0
    exact = Decimal(repr(float(value))) * (100 if "%" in suffix else 1) / Decimal(1000) ** len(commas)
    exact = exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    digits = f"{abs(exact):,.{decimals}f}" if "," in body else f"{abs(exact):.{decimals}f}"
    unquoted = [re.sub(r'"([^"]*)"', r"\1", part) for part in (prefix, suffix)]
    return ("-" if exact < 0 else "") + unquoted[0] + digits + unquoted[1]
