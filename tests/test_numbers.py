"""No typed value lost or misread: every number a rep typed is read exactly, or named by an error at its cell.

The rules are the README's "How numbers are read"; the unit table walks `coerce()` through each of them,
the workbook tests put the issue's own strings into the sample plan and check the figures never see them.
"""
import pytest
from conftest import AS_OF, harbor_data
from workbooks import write_plan

from generator import fmt
from generator.plan import schema
from generator.plan.coerce import coerce
from generator.assess.findings import CATALOGUE
from generator.pipeline import check
from generator.plan.reader import read_plan

MONEY, PERCENT = schema.MONEY, schema.PERCENT
GENERAL, PERCENT_FORMAT = "General", "0%"

# kind, typed, options (currency, number_format), value read, finding code, words the hint must name
CASES = [
    # Money typed as text, read without doubt (a warning: better typed as a number)
    (MONEY, "2,400,000", {}, 2_400_000, "value-coerced", ()),
    (MONEY, "1.200.000", {}, 1_200_000, "value-coerced", ()),
    (MONEY, "75 000", {}, 75_000, "value-coerced", ()),
    (MONEY, "75\u00a0000", {}, 75_000, "value-coerced", ()),
    (MONEY, "1'250'000", {}, 1_250_000, "value-coerced", ()),
    (MONEY, "1,234.56", {}, 1234.56, "value-coerced", ()),
    (MONEY, "1.234,56", {}, 1234.56, "value-coerced", ()),
    (MONEY, "1 234,56", {}, 1234.56, "value-coerced", ()),
    (MONEY, "1234.5", {}, 1234.5, "value-coerced", ()),
    (MONEY, "0.950", {}, 0.95, "value-coerced", ()),
    (MONEY, "$250k", {}, 250_000, "value-coerced", ()),
    (MONEY, "USD 75 000", {}, 75_000, "value-coerced", ()),
    (MONEY, "75000 usd", {}, 75_000, "value-coerced", ()),
    (MONEY, "US$1.2m", {}, 1_200_000, "value-coerced", ()),
    (MONEY, "1.5M", {}, 1_500_000, "value-coerced", ()),
    (MONEY, "0.95m", {}, 950_000, "value-coerced", ()),
    (MONEY, "1.45M", {}, 1_450_000, "value-coerced", ()),
    (MONEY, "2.3m", {}, 2_300_000, "value-coerced", ()),
    # Scale words
    (MONEY, "250k", {}, 250_000, "value-coerced", ()),
    (MONEY, "250K", {}, 250_000, "value-coerced", ()),
    (MONEY, "3 mn", {}, 3_000_000, "value-coerced", ()),
    (MONEY, "3mm", {}, 3_000_000, "value-coerced", ()),
    (MONEY, "3MM", {}, 3_000_000, "value-coerced", ()),
    (MONEY, "1.5 Mio", {}, 1_500_000, "value-coerced", ()),
    (MONEY, "1.5 Mio.", {}, 1_500_000, "value-coerced", ()),
    (MONEY, "2bn", {}, 2_000_000_000, "value-coerced", ()),
    (MONEY, "2b", {}, 2_000_000_000, "value-coerced", ()),
    (MONEY, "2 Mrd", {}, 2_000_000_000, "value-coerced", ()),
    (MONEY, "2 Mrd.", {}, 2_000_000_000, "value-coerced", ()),
    (MONEY, "1.2 million", {}, 1_200_000, "value-coerced", ()),
    # Money whose meaning is a guess: an error naming the readings
    (MONEY, "950.000", {}, None, "value-ambiguous", ("950", "950,000")),
    (MONEY, "1,500", {}, None, "value-ambiguous", ("1.50", "1,500")),
    (MONEY, "€1.200", {"currency": "EUR"}, None, "value-ambiguous", ("1.20", "1,200")),
    (MONEY, "€1.200", {}, None, "value-ambiguous", ("1.20", "1,200", "in USD")),
    (MONEY, "1.250M", {}, None, "value-ambiguous", ("1,250,000", "1,250,000,000")),
    (MONEY, "1,5M", {}, None, "value-ambiguous", ("1,500,000", "15,000,000")),
    (MONEY, "0,95 Mio", {}, None, "value-ambiguous", ("950,000", "95,000,000")),
    (MONEY, "1200,50", {}, None, "value-ambiguous", ("1,200.50", "120,050")),
    (MONEY, "1.234,567", {}, None, "value-ambiguous", ("1,234.567", "1,234,567")),
    (MONEY, "500 TBD", {}, None, "value-ambiguous", ("500",)),
    (MONEY, "about 500k", {}, None, "value-ambiguous", ("500,000",)),
    (MONEY, "~500k", {}, None, "value-ambiguous", ("500,000",)),
    (MONEY, "500k-600k", {}, None, "value-ambiguous", ("500,000",)),
    (MONEY, "1,2,3", {}, None, "wrong-kind", ()),
    (MONEY, "lots", {}, None, "wrong-kind", ()),
    (MONEY, "-$500", {}, None, "out-of-range", ()),
    (MONEY, "(1,200,000)", {}, None, "out-of-range", ()),
    # Currencies: the plan's own is fine, any other is refused, never added in
    (MONEY, "EUR 300k", {}, None, "currency-mismatch", ("USD",)),
    (MONEY, "£950k", {}, None, "currency-mismatch", ("USD",)),
    (MONEY, "300 kEUR", {}, None, "currency-mismatch", ("USD",)),
    (MONEY, "¥500", {}, None, "currency-mismatch", ("USD",)),
    (MONEY, "C$500", {}, None, "currency-mismatch", ("USD",)),
    (MONEY, "$500", {"currency": "EUR"}, None, "currency-mismatch", ("EUR",)),
    (MONEY, "€1.200,50", {"currency": "EUR"}, 1200.5, "value-coerced", ()),
    (MONEY, "EUR 300k", {"currency": "EUR"}, 300_000, "value-coerced", ()),
    (MONEY, "£950k", {"currency": "GBP"}, 950_000, "value-coerced", ()),
    (MONEY, "$500", {"currency": "CAD"}, 500, "value-coerced", ()),
    (MONEY, "C$500", {"currency": "CAD"}, 500, "value-coerced", ()),
    (MONEY, "US$500", {"currency": "CAD"}, None, "currency-mismatch", ("CAD",)),
    (MONEY, "¥50,000,000", {"currency": "JPY"}, 50_000_000, "value-coerced", ()),
    (MONEY, "CHF 500k", {"currency": "CHF"}, 500_000, "value-coerced", ()),
    # Money in a numeric cell: the cell's currency format must be the plan's
    (MONEY, 950_000, {"number_format": "#,##0"}, 950_000, None, ()),
    (MONEY, 950_000, {"number_format": '"$"#,##0'}, 950_000, None, ()),
    (MONEY, 950_000, {"number_format": "[$$-409]#,##0.00"}, 950_000, None, ()),
    (MONEY, 950_000, {"number_format": "#,##0 [$EUR]", "currency": "EUR"}, 950_000, None, ()),
    (MONEY, 950_000, {"number_format": "[$€-407]#,##0"}, None, "currency-mismatch", ("USD",)),
    (MONEY, 950_000, {"number_format": '"£"#,##0'}, None, "currency-mismatch", ("USD",)),
    (MONEY, 950_000, {"number_format": "#,##0 [$EUR]"}, None, "currency-mismatch", ("USD",)),
    (MONEY, 950_000, {"number_format": '"$"#,##0', "currency": "EUR"}, None, "currency-mismatch", ("EUR",)),
    (MONEY, 950_000, {"number_format": '#,##0,"k"'}, 950_000, None, ()),
    # Probability in a cell not formatted as a percent
    (PERCENT, 0.4, {"number_format": GENERAL}, 0.4, None, ()),
    (PERCENT, 0, {"number_format": GENERAL}, 0, None, ()),
    (PERCENT, 2, {"number_format": GENERAL}, 0.02, "value-coerced", ()),
    (PERCENT, 40, {"number_format": GENERAL}, 0.4, "value-coerced", ()),
    (PERCENT, 100, {"number_format": GENERAL}, 1.0, "value-coerced", ()),
    (PERCENT, 1, {"number_format": GENERAL}, None, "value-ambiguous", ("1%", "100%")),
    (PERCENT, 1.5, {"number_format": GENERAL}, None, "value-ambiguous", ("1.5%", "150%")),
    (PERCENT, 150, {"number_format": GENERAL}, None, "out-of-range", ()),
    (PERCENT, 100.5, {"number_format": GENERAL}, None, "out-of-range", ()),
    (PERCENT, -0.1, {"number_format": GENERAL}, None, "out-of-range", ()),
    (PERCENT, "40", {"number_format": GENERAL}, 0.4, "value-coerced", ()),
    (PERCENT, "0.4", {"number_format": GENERAL}, 0.4, "value-coerced", ()),
    (PERCENT, "1", {"number_format": GENERAL}, None, "value-ambiguous", ("1%", "100%")),
    (PERCENT, "40%", {"number_format": GENERAL}, 0.4, "value-coerced", ()),
    (PERCENT, "1%", {"number_format": GENERAL}, 0.01, "value-coerced", ()),
    (PERCENT, "150%", {"number_format": GENERAL}, None, "out-of-range", ()),
    (PERCENT, "likely", {"number_format": GENERAL}, None, "wrong-kind", ()),
    # Probability in a cell formatted as a percent: it holds a fraction
    (PERCENT, 0.4, {"number_format": PERCENT_FORMAT}, 0.4, None, ()),
    (PERCENT, 1, {"number_format": PERCENT_FORMAT}, 1.0, None, ()),
    (PERCENT, 40, {"number_format": PERCENT_FORMAT}, 0.4, "value-coerced", ()),
    (PERCENT, 1.5, {"number_format": PERCENT_FORMAT}, None, "out-of-range", ()),
    (PERCENT, "40", {"number_format": PERCENT_FORMAT}, 0.4, "value-coerced", ()),
]


@pytest.mark.parametrize("kind, typed, options, value, code, named", CASES,
                         ids=[f"{c[0]}-{c[1]!r}-{'-'.join(map(str, c[2].values()))}" for c in CASES])
def test_each_typed_number_is_read_exactly_or_refused_naming_its_readings(kind, typed, options, value, code, named):
    result = coerce(kind, typed, "Value", **options)
    assert result.code == code, result
    assert result.value == (None if value is None else pytest.approx(value))
    if code is not None:
        assert result.message and result.hint
    if code is not None and CATALOGUE[code].severity == "error":
        assert result.value is None
    for reading in named:
        assert reading in result.hint, (reading, result.hint)


def test_the_issues_example_hints_read_as_the_rule_says():
    assert coerce(MONEY, "950.000", "Value").hint == \
        "'950.000' could be 950 or 950,000: type the number without separators."
    assert coerce(PERCENT, 1, "Probability", number_format=GENERAL).hint == "1 could be 1% or 100%: type 1% or 100%."
    assert coerce(MONEY, "£950k", "Value").hint.startswith("Convert it to USD")


@pytest.mark.parametrize("typed, expected", [("1.45M", 1_450_000.0), ("2.01M", 2_010_000.0), ("4.15m", 4_150_000.0),
                                             ("8.03 Mio", 8_030_000.0), ("0.3 Mrd", 300_000_000.0)])
def test_scaled_amounts_are_exact_not_floating_point_approximations(typed, expected):
    assert coerce(MONEY, typed, "Value").value == expected      # ==, not approx: 2.01 * 1e6 is 2009999.9999999998


@pytest.mark.parametrize("currency", schema.CURRENCIES)
def test_the_templates_own_money_format_in_every_currency_is_accepted(currency):
    result = coerce(MONEY, 1_250_000, "Value", number_format=fmt.money_format(currency), currency=currency)
    assert (result.value, result.code) == (1_250_000, None)


# Workbook level: the issue's strings typed into the sample plan ------------------------------------------

def _opportunity_cell(wb, index: int, header: str):
    """The cell of `header` in the index-th row of the Opportunities table, wherever the table sits."""
    from openpyxl.utils import range_boundaries
    ws = next(ws for ws in wb.worksheets if "Opportunities" in ws.tables)
    min_col, header_row, max_col, _ = range_boundaries(ws.tables["Opportunities"].ref)
    column = next(c for c in range(min_col, max_col + 1) if ws.cell(row=header_row, column=c).value == header)
    return ws.cell(row=header_row + 1 + index, column=column)


def _findings_at(result, place):
    return [f.code for f in result.findings if (f.sheet, f.cell) == (place.sheet, place.cell)]


@pytest.mark.parametrize("typed, code", [
    ("950.000", "value-ambiguous"), ("1,5M", "value-ambiguous"), ("0,95 Mio", "value-ambiguous"),
    ("€1.200", "value-ambiguous"), ("500 TBD", "value-ambiguous"), ("EUR 300k", "currency-mismatch"),
    ("£950k", "currency-mismatch"),
])
def test_a_guessed_amount_is_an_error_at_its_cell_and_never_reaches_the_figures(tmp_path, typed, code):
    data = harbor_data()
    data["lists"]["Opportunities"][0]["Value"] = typed        # the Secured renewal, 950,000
    result = check(write_plan(data, tmp_path / "p.xlsx"), AS_OF)
    renewal = result.plan.opportunities[0]
    assert renewal.value is None
    assert _findings_at(result, renewal.place("value")) == [code]
    assert (renewal.place("value").sheet, renewal.place("value").cell) == ("Path to number", "E9")
    assert result.figures.secured == 0
    assert code in {f.code for f in result.errors}


def test_an_unambiguous_amount_typed_as_text_reaches_the_figures_with_a_warning(tmp_path):
    data = harbor_data()
    data["lists"]["Opportunities"][0]["Value"] = "$950k"
    result = check(write_plan(data, tmp_path / "p.xlsx"), AS_OF)
    assert result.plan.opportunities[0].value == 950_000
    assert _findings_at(result, result.plan.opportunities[0].place("value")) == ["value-coerced"]
    assert result.figures.secured == 950_000


@pytest.mark.parametrize("number_format, counted", [
    ("[$€-407]#,##0", False), ('"£"#,##0', False), ("#,##0 [$EUR]", False), ('"$"#,##0', True), ("#,##0", True)])
def test_a_number_formatted_in_another_currency_is_refused(tmp_path, number_format, counted):
    def format_renewal(wb):
        _opportunity_cell(wb, 0, "Value").number_format = number_format
    result = check(write_plan(harbor_data(), tmp_path / "p.xlsx", format_renewal), AS_OF)
    renewal = result.plan.opportunities[0]
    assert _findings_at(result, renewal.place("value")) == ([] if counted else ["currency-mismatch"])
    assert result.figures.secured == (950_000 if counted else 0)


@pytest.mark.parametrize("typed, code, probability", [
    (1.5, "value-ambiguous", None), (1, "value-ambiguous", None), (2, "value-coerced", 0.02),
    (0.7, None, 0.7), (40, "value-coerced", 0.4)])
def test_a_probability_in_a_general_cell_is_read_only_when_it_has_one_meaning(tmp_path, typed, code, probability):
    def general(wb):
        cell = _opportunity_cell(wb, 1, "Probability")           # the Forecast deal, 600,000 at 70%
        cell.value, cell.number_format = typed, "General"
    result = check(write_plan(harbor_data(), tmp_path / "p.xlsx", general), AS_OF)
    deal = result.plan.opportunities[1]
    place = deal.place("probability")
    assert (place.sheet, place.cell) == ("Path to number", "F10")
    assert _findings_at(result, place) == ([code] if code else [])
    assert deal.probability == (pytest.approx(probability) if probability is not None else None)
    others = 350_000 * 0.4 + 250_000 * 0.5 + 400_000 * 0.1       # the other open deals, as in the sample
    used = 0.8 if probability is None else probability             # a refused probability takes the stage's default
    assert result.figures.weighted_open == pytest.approx(others + 600_000 * used)


def test_a_eur_plan_reads_euro_amounts_and_refuses_dollars(tmp_path):
    data = harbor_data()
    data["fields"]["currency"] = "EUR"
    data["lists"]["Opportunities"][0]["Value"] = "€1.200,50"
    data["lists"]["Opportunities"][1]["Value"] = "$500"
    data["fields"]["annual_target"] = "EUR 2,400,000"
    result = check(write_plan(data, tmp_path / "p.xlsx"), AS_OF)
    first, second = result.plan.opportunities[:2]
    assert first.value == 1200.5
    assert _findings_at(result, first.place("value")) == ["value-coerced"]
    assert second.value is None
    assert _findings_at(result, second.place("value")) == ["currency-mismatch"]
    assert result.plan.fields["annual_target"] == 2_400_000
    assert result.figures.secured == 1200.5


def test_a_plan_in_its_own_currency_format_reads_clean(tmp_path):
    data = harbor_data()
    data["fields"]["currency"] = "GBP"

    def pounds(wb):
        for index in range(5):
            _opportunity_cell(wb, index, "Value").number_format = fmt.money_format("GBP")
    plan = read_plan(write_plan(data, tmp_path / "p.xlsx", pounds))
    assert plan.read_findings == []
    assert [o.value for o in plan.opportunities] == [950_000, 600_000, 350_000, 250_000, 400_000]
