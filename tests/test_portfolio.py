"""`accountplan portfolio`: the manager's roll-up of many plans, made of each plan's own figures, with one
total per currency, in a workbook of real Excel tables, a deck and JSON; files that cannot be used are listed
and stop nothing."""
import datetime as dt
import json
import math
import re
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import AS_OF, harbor_data, needs_libreoffice, overdue_data, sparse_data
from outputs import slide_text
from pptx import Presentation
from pptx.util import Emu
from workbooks import write_plan

from generator import fmt
from generator.cli import main
from generator.pipeline import assess, check
from generator.portfolio import deck, roll_up, to_json, workbook
from generator.portfolio.deck import path_steps
from generator.render.deck_parts import frame_height
from generator.render.report import to_json as plan_json


def plan(name: str, target: float | None, currency: str = "USD", data: dict | None = None, owner: str = "",
         scores: tuple[int, int] | None = None) -> dict:
    data = data or harbor_data()
    fields = data["fields"]
    fields["account_name"], fields["annual_target"], fields["currency"] = name, target, currency
    if owner:
        fields["account_owner"] = owner
    if scores:
        fields["relationship_score"], fields["potential_score"] = scores
    return data


def usd_with_errors() -> dict:
    data = plan("Blue Fjord Energy", 3_000_000, owner="Luis Romero", scores=(2, 4))
    data["lists"]["Opportunities"][0]["Stage"] = "Won"
    data["lists"]["Stakeholders"] = [s for s in data["lists"]["Stakeholders"] if s["Role"] != "Decision maker"]
    return data


PLANS = {
    "harbor.xlsx": lambda: plan("Harbor Line Logistics", 2_400_000),
    "acme.xlsx": lambda: plan("ACME Ltd", 900_000, data=overdue_data(), owner="Priya Nair", scores=(4, 2)),
    "blue.xlsx": usd_with_errors,
    "east/orion.xlsx": lambda: plan("Orion Retail GmbH", 1_500_000, "EUR", owner="Ana Souza", scores=(1, 1)),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Three USD plans (one with errors), a EUR plan in a subfolder, and a text file named .xlsx."""
    root = tmp_path_factory.mktemp("portfolio") / "plans"
    (root / "east").mkdir(parents=True)
    for name, make in PLANS.items():
        write_plan(make(), root / name)
    (root / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def cli(folder):
    out = folder.parent / "out"
    result = CliRunner().invoke(main, ["portfolio", str(folder), "-o", str(out), "--as-of", AS_OF.isoformat(),
                                       "--jobs", "2"])
    return result, out


@pytest.fixture(scope="module")
def report(folder):
    result = CliRunner().invoke(main, ["portfolio", str(folder), "--json", "--as-of", AS_OF.isoformat(),
                                       "--jobs", "2"])
    assert result.exit_code == 2, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def figures(folder):
    """Each plan's own figures, as `validate --json` gives them, by account."""
    return {(r := check(folder / name, AS_OF)).plan.account_name: plan_json(r)["figures"] | {"currency": r.figures.currency}
            for name in PLANS}


def test_the_command_writes_the_workbook_and_the_deck_and_lists_the_file_it_could_not_use(cli):
    result, out = cli
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in out.iterdir()) == ["portfolio.pptx", "portfolio.xlsx"]
    assert f"wrote {out / 'portfolio.xlsx'}" in result.stdout
    assert "1 file not usable" in result.stdout and "notes.xlsx: this is a text or CSV file" in result.stdout
    assert re.search(r"^USD  3 plans: target \$6,300,000 · ", result.stdout, re.M)
    assert re.search(r"^EUR  1 plan: target €1,500,000 · ", result.stdout, re.M)


def test_json_has_the_plans_with_the_contracts_figures_and_totals_per_currency(report, figures, folder):
    assert list(report) == ["plans", "totals"]
    for entry in report["plans"]:
        assert list(entry) == ["file", "account_name", "figures", "errors", "warnings", "refused"]
    read = {e["account_name"]: e for e in report["plans"] if e["refused"] is None}
    assert set(read) == set(figures)
    for name, entry in read.items():
        assert entry["figures"] == {k: v for k, v in figures[name].items() if k != "currency"}
    refused, = (e for e in report["plans"] if e["refused"])
    assert refused["file"] == str(folder / "notes.xlsx") and refused["figures"] is None
    assert refused["refused"]["code"] == "not-a-workbook"
    assert read["Blue Fjord Energy"]["errors"] == 1
    totals = report["totals"]
    assert totals["plans"] == 4 and totals["refused"] == 1 and totals["plans_with_errors"] == 1
    assert list(totals["by_currency"]) == ["USD", "EUR"]          # never one sum across currencies
    for currency, total in totals["by_currency"].items():
        mine = [f for f in figures.values() if f["currency"] == currency]
        assert total["plans"] == len(mine)
        for key in ("secured", "forecast", "pipeline", "prospect", "weighted_open", "gap_to_target", "uncovered_gap",
                    "whitespace_open"):
            assert total[key] == pytest.approx(math.fsum(f[key] or 0 for f in mine)), (currency, key)
    assert totals["by_currency"]["USD"]["annual_target"] == 6_300_000
    assert totals["by_currency"]["EUR"]["annual_target"] == 1_500_000
    assert totals["actions"]["overdue"] == sum(f["actions"]["overdue"] for f in figures.values())


def test_json_alone_prints_nothing_else_on_standard_output(folder):
    result = CliRunner().invoke(main, ["portfolio", str(folder / "harbor.xlsx"), str(folder / "acme.xlsx"),
                                       "--json", "--as-of", AS_OF.isoformat(), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["totals"]["plans"] == 2
    assert "reading 2 plans" in result.stderr


def test_portfolio_needs_an_output_folder_or_json(folder):
    result = CliRunner().invoke(main, ["portfolio", str(folder)])
    assert result.exit_code == 2 and "-o OUT" in result.stderr


# The workbook -------------------------------------------------------------------------------------

def table_rows(ws, name: str) -> list[dict]:
    """The body rows of an Excel table (not its header, not its totals row) as header -> value."""
    table = ws.tables[name]
    rows = list(ws[table.ref])
    header = [c.value for c in rows[0]]
    body = rows[1:len(rows) - (table.totalsRowCount or 0)]
    return [dict(zip(header, (c.value for c in row))) for row in body]


def test_the_plans_table_is_a_real_excel_table_of_each_plans_own_figures(cli, figures):
    _, out = cli
    ws = openpyxl.load_workbook(out / "portfolio.xlsx")["Plans"]
    table = ws.tables["Plans"]
    assert table.totalsRowCount == 1 and table.autoFilter is not None
    first, last = table.ref.split(":")
    body_end = re.sub(r"\d+$", lambda m: str(int(m[0]) - 1), last)     # the filter leaves out the totals row
    assert table.ref.startswith("A4:") and table.autoFilter.ref == f"{first}:{body_end}"
    rows = {row["Account"]: row for row in table_rows(ws, "Plans")}
    assert set(rows) == set(figures)
    for name, row in rows.items():
        f = figures[name]
        assert (row["Secured"], row["Weighted open"], row["Uncovered gap"]) == (f["secured"], f["weighted_open"],
                                                                               f["uncovered_gap"])
        assert row["Overdue actions"] == f["actions"]["overdue"] and row["Currency"] == f["currency"]
    assert rows["Blue Fjord Energy"]["Errors"] == 1 and rows["Blue Fjord Energy"]["Decision maker"] == "No"
    secured = next(c.column for c in ws[4] if c.value == "Secured")
    formats = {ws.cell(r, 1).value: ws.cell(r, secured).number_format for r in range(5, 5 + len(rows))}
    assert formats["Orion Retail GmbH"] == '"€"#,##0' and formats["Harbor Line Logistics"] == '"$"#,##0'


def test_totals_are_per_currency_and_the_totals_row_never_adds_two_currencies(cli, figures):
    _, out = cli
    book = openpyxl.load_workbook(out / "portfolio.xlsx")
    ws = book["Plans"]
    table = ws.tables["Plans"]
    last = int(re.sub(r"\D", "", table.ref.split(":")[1]))
    total_row = {ws.cell(4, c).value: ws.cell(last, c).value for c in range(1, ws.max_column + 1)}
    assert total_row["Secured"] is None                       # two currencies: no sum of money
    assert total_row["Errors"] == "=SUBTOTAL(109,Plans[Errors])"
    assert "see Totals" in total_row["Account"]
    totals = book["Totals"]
    header = [c.value for c in totals[4]]
    assert header[:3] == ["Figure", "USD", "EUR"]
    lines = {row[0].value: row for row in totals.iter_rows(min_row=5) if row[0].value}
    for col, currency in ((1, "USD"), (2, "EUR")):
        mine = [f for f in figures.values() if f["currency"] == currency]
        assert lines["Secured"][col].value == pytest.approx(math.fsum(f["secured"] for f in mine))
        assert lines["Uncovered gap"][col].value == pytest.approx(math.fsum(f["uncovered_gap"] for f in mine))


def test_one_currency_gets_sums_in_the_totals_row(tmp_path, make_plan):
    results = [assess(make_plan(plan(f"Account {i}", 1_000_000 * i)), AS_OF) for i in (1, 2, 3)]
    path = tmp_path / "p.xlsx"
    workbook.render(roll_up(results), path)
    ws = openpyxl.load_workbook(path)["Plans"]
    last = int(re.sub(r"\D", "", ws.tables["Plans"].ref.split(":")[1]))
    total_row = {ws.cell(4, c).value: ws.cell(last, c).value for c in range(1, ws.max_column + 1)}
    assert total_row["Account"] == "Total"
    assert total_row["Secured"] == "=SUBTOTAL(109,Plans[Secured])"
    assert total_row["Target"] == "=SUBTOTAL(109,Plans[Target])"


def test_actions_findings_and_files_not_read_are_tables_naming_file_and_cell(cli, figures, folder):
    _, out = cli
    book = openpyxl.load_workbook(out / "portfolio.xlsx")
    actions = table_rows(book["Actions"], "OpenActions")
    assert len(actions) == sum(f["actions"]["open"] for f in figures.values())
    overdue = [a for a in actions if a["Overdue"] == "Yes"]
    assert len(overdue) == sum(f["actions"]["overdue"] for f in figures.values()) and actions[0] in overdue
    assert isinstance(actions[0]["Due"], dt.datetime) and re.fullmatch(r"Action plan!B\d+", actions[0]["Cell"])
    findings = table_rows(book["Findings"], "Findings")
    assert len(findings) == sum(len(check(folder / name, AS_OF).findings) for name in PLANS)
    error, = (f for f in findings if f["Severity"] == "error")
    assert error["File"] == str(folder / "blue.xlsx") and re.fullmatch(r"Path to number!D\d+", error["Cell"])
    not_read, = table_rows(book["Not read"], "NotRead")
    assert not_read["File"] == str(folder / "notes.xlsx") and not_read["Code"] == "not-a-workbook"


def test_the_uncovered_gap_has_a_native_bar_chart_per_currency(cli):
    _, out = cli
    with zipfile.ZipFile(out / "portfolio.xlsx") as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        xml = [archive.read(n).decode() for n in charts]
    assert len(charts) == 2
    assert all('barDir val="bar"' in x for x in xml)
    assert "Uncovered gap by account (USD)" in xml[0] and "Uncovered gap by account (EUR)" in xml[1]
    assert "'Uncovered gap'!$B$6:$B$8" in xml[0]           # the three USD accounts' cells, largest first


# The deck -----------------------------------------------------------------------------------------

def deck_slides(path):
    return [slide_text(s) for s in Presentation(str(path)).slides]


def test_the_deck_shows_the_totals_of_each_currency_and_the_accounts(cli, figures):
    _, out = cli
    slides = deck_slides(out / "portfolio.pptx")
    prs = Presentation(str(out / "portfolio.pptx"))
    topics = [next(s.text_frame.text for s in slide.shapes if s.name == "Topic") for slide in prs.slides]
    assert topics == ["Portfolio review", "Path to the number (USD)", "Path to the number (EUR)", "Position",
                      "Uncovered gap by account (USD)", "Uncovered gap by account (EUR)", "Plan health",
                      "Overdue actions", "Files not read"]
    usd = [f for f in figures.values() if f["currency"] == "USD"]
    for key in ("secured", "weighted_open", "uncovered_gap"):
        assert fmt.money(math.fsum(f[key] for f in usd), "USD") in slides[1], key
    eur, = (f for f in figures.values() if f["currency"] == "EUR")
    assert fmt.money(eur["uncovered_gap"], "EUR") in slides[2] and "$" not in slides[2].split("Total")[1]
    assert fmt.money(6_300_000, "USD") in slides[1] and fmt.money(1_500_000, "EUR") in slides[2]
    quadrants = {s.name: s.text_frame.text for s in prs.slides[3].shapes if s.name.startswith("Quadrant")}
    assert "Harbor Line Logistics" in quadrants["Quadrant Key"]
    assert "ACME Ltd" in quadrants["Quadrant Managed"]
    assert "Blue Fjord Energy" in quadrants["Quadrant Target"]
    assert "Orion Retail GmbH" in quadrants["Quadrant Maintained"]
    ranked = [name for name in figures if name in slides[4]]
    assert sorted(ranked, key=slides[4].index) == sorted(
        (n for n in figures if figures[n]["currency"] == "USD"), key=lambda n: -figures[n]["uncovered_gap"])
    health = prs.slides[6].shapes
    table = next(s for s in health if s.has_table).table
    assert table.cell(1, 0).text == "Blue Fjord Energy"        # the plan with errors comes first
    assert "notes.xlsx" in slides[8]


def test_the_path_chart_adds_up_to_the_summed_target(cli, figures):
    _, out = cli
    prs = Presentation(str(out / "portfolio.pptx"))
    chart = next(s for s in prs.slides[1].shapes if s.has_chart).chart
    series = {s.name: [v for v in s.values if v is not None] for s in chart.plots[0].series}
    assert series["Annual target"] == [6_300_000]
    usd = [f for f in figures.values() if f["currency"] == "USD"]
    assert series["Secured"] == [pytest.approx(math.fsum(f["secured"] for f in usd))]
    assert series["Uncovered gap"] == [pytest.approx(math.fsum(f["uncovered_gap"] for f in usd))]


def test_path_steps_end_at_the_target_when_some_accounts_are_above_it(make_plan):
    covered = plan("Covered Co", 500_000)                          # secured alone passes its target
    results = [assess(make_plan(covered), AS_OF), assess(make_plan(plan("Short Co", 9_000_000)), AS_OF),
               assess(make_plan(plan("No Target Co", None)), AS_OF)]
    portfolio = roll_up(results)
    total = portfolio.totals["USD"]
    assert total.with_target == 2 and total.surplus > 0 and total.above_target == 1
    steps = path_steps(total, _kit())
    gap, target = steps[-2], steps[-1]
    assert gap[2] + gap[3] == pytest.approx(target[3])               # the gap ends at the target
    assert target[3] == 9_500_000
    above = next(s for s in steps if s[1] == "surplus")
    assert above[0] == "Above target (1 account)"
    assert total.secured == pytest.approx(sum(r.figures.secured for r in results))   # totals: every plan
    assert total.path_secured == pytest.approx(sum(r.figures.secured for r in results[:2]))


def _kit():
    from generator.kit import default_kit

    return default_kit()


def test_a_long_portfolio_is_summarised_and_every_text_fits(make_plan, tmp_path):
    """Thirty plans: long lists show their first rows and "and K more"; nothing overflows its box."""
    results = []
    for i in range(30):
        data = overdue_data() if i % 2 else harbor_data()
        results.append(assess(make_plan(plan(f"Account number {i} with a rather long name", 1_000_000 + i * 250_000,
                                             "EUR" if i % 10 == 3 else "USD", data=data,
                                             scores=((i % 5) + 1, (i * 3 % 5) + 1))), AS_OF))
    results.append(assess(make_plan(sparse_data()), AS_OF))
    path = tmp_path / "p.pptx"
    deck.render(roll_up(results), path)
    prs = Presentation(str(path))
    text = "\n".join(slide_text(s) for s in prs.slides)
    assert re.search(r"and \d+ more accounts", text) and re.search(r"and \d+ more plans", text)
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, shape.name
            assert shape.left + shape.width <= prs.slide_width and shape.top + shape.height <= prs.slide_height
            if shape.has_text_frame and shape.text_frame.text and shape.name != "Potential axis":
                assert frame_height(shape.text_frame, Emu(shape.width).pt) <= Emu(shape.height).pt + 0.01, shape.name


def test_roll_up_keeps_each_currency_apart_and_adds_only_plan_figures(make_plan):
    results = [assess(make_plan(plan("A", 1_000_000)), AS_OF), assess(make_plan(plan("B", 2_000_000, "EUR")), AS_OF),
               assess(make_plan(plan("C", 3_000_000)), AS_OF)]
    portfolio = roll_up(results)
    assert list(portfolio.totals) == ["USD", "EUR"]
    assert portfolio.totals["USD"].annual_target == 4_000_000 and portfolio.totals["EUR"].annual_target == 2_000_000
    assert portfolio.totals["USD"].weighted_open == pytest.approx(results[0].figures.weighted_open
                                                                  + results[2].figures.weighted_open)
    report = to_json(portfolio)
    assert report["totals"]["by_currency"]["EUR"]["plans"] == 1


@needs_libreoffice
def test_libreoffice_opens_the_portfolio_deck_and_workbook(cli, tmp_path, soffice):
    _, out = cli
    slides_pdf, = soffice(out / "portfolio.pptx", "pdf", tmp_path / "deck")
    book_pdf, = soffice(out / "portfolio.xlsx", "pdf", tmp_path / "workbook")
    slides = len(Presentation(str(out / "portfolio.pptx")).slides)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", slides_pdf.read_bytes())) == slides
    assert book_pdf.stat().st_size > 10_000
