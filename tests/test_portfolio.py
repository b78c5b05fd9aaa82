"""`accountplan portfolio`: the manager's roll-up of many plans, made of each plan's own figures, with one
total per currency, in a workbook of real Excel tables, a deck and JSON; files that cannot be used are listed
and stop nothing."""
import dataclasses
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


# Since the last review (`--since DIR`) ----------------------------------------------------------------

def since_plans() -> dict:
    """Three plans now and, in a folder of the last review's, earlier versions of two of them: Harbor twice
    (the later one is compared), ACME under a differently written name; Orion is new; one file is no plan."""
    from test_diff import new_data, old_data

    def acme(name: str, stage: str, plan_date: dt.date) -> dict:
        data = plan(name, 900_000, data=overdue_data(), owner="Priya Nair", scores=(4, 2))
        data["fields"]["plan_date"] = plan_date
        data["lists"]["Opportunities"][0]["Stage"] = stage                # Platform renewal 2027, $950,000
        return data

    def older_harbor() -> dict:
        data = old_data()
        data["fields"]["plan_date"], data["fields"]["annual_target"] = dt.date(2026, 8, 3), 2_000_000
        return data

    return {
        "now/harbor.xlsx": new_data,
        "now/acme.xlsx": lambda: acme("ACME Ltd", "Secured", dt.date(2026, 11, 20)),
        "now/orion.xlsx": lambda: plan("Orion Retail GmbH", 1_500_000, "EUR", owner="Ana Souza", scores=(1, 1)),
        "q3/harbor-2026-11-02.xlsx": old_data,
        "q3/harbor-2026-08-03.xlsx": older_harbor,
        "q3/acme-q3.xlsx": lambda: acme("acme  LTD.", "Forecast", dt.date(2026, 10, 1)),
    }


@pytest.fixture(scope="module")
def since_folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("since")
    (root / "now").mkdir()
    (root / "q3").mkdir()
    for name, make in since_plans().items():
        write_plan(make(), root / name)
    (root / "q3" / "broken.xlsx").write_text("not a workbook", encoding="utf-8")
    return root / "now", root / "q3"


def _portfolio_run(*args):
    return CliRunner().invoke(main, ["portfolio", *map(str, args), "--as-of", AS_OF.isoformat(), "--jobs", "1"])


@pytest.fixture(scope="module")
def since_run(since_folders, tmp_path_factory):
    now, q3 = since_folders
    out = tmp_path_factory.mktemp("since-out")
    result = _portfolio_run(now, "-o", out, "--json", "--since", q3)
    plain = _portfolio_run(now, "--json")
    return result, json.loads(result.stdout), json.loads(plain.stdout), out, plain.exit_code


SINCE_KEYS = ["file", "account_name", "figures", "errors", "warnings", "refused", "since", "since_review"]


def test_since_json_has_each_plans_diff_and_how_it_was_matched(since_run, since_folders):
    result, report, plain, _, plain_exit = since_run
    now, q3 = since_folders
    assert result.exit_code == plain_exit, result.output          # an unusable earlier file changes nothing
    assert list(report) == ["plans", "totals", "since"]
    by_name = {p["account_name"]: p for p in report["plans"]}
    for entry in report["plans"]:
        assert list(entry) == SINCE_KEYS
    harbor, acme, orion = (by_name[n] for n in ("Harbor Line Logistics", "ACME Ltd", "Orion Retail GmbH"))
    assert harbor["since_review"]["earlier"] == str(q3 / "harbor-2026-11-02.xlsx")     # the later of two
    assert harbor["since_review"]["earlier_versions"] == 2
    assert harbor["since"]["old"]["plan_date"] == "2026-11-02" and harbor["since"]["new"]["plan_date"] == "2026-11-25"
    assert harbor["since"]["lists"]["Opportunities"]["added"] == ["Workforce scheduling suite",
                                                                  "Fleet telematics pilot"]
    assert acme["since_review"]["earlier"] == str(q3 / "acme-q3.xlsx")                 # `acme  LTD.` is ACME Ltd
    assert acme["since"]["old"]["account_name"] == "acme  LTD."
    assert [f["key"] for f in acme["since"]["figures"]][:1] == ["secured"]
    assert acme["since_review"]["secured_change"] == 950_000
    assert harbor["since_review"]["secured_change"] == 650_000
    assert harbor["since_review"]["uncovered_gap_change"] == -310_000
    assert orion["since"] is None and orion["since_review"]["status"] == "new"
    assert orion["since_review"]["summary"] == "New since last review"
    since = report["since"]
    assert since["folder"] == str(q3) and since["earlier_read"] == 3
    assert (since["moved"], since["new"], since["unchanged"]) == (2, 1, 0)
    assert [(n["file"], n["refused"]["code"]) for n in since["not_usable"]] == [(str(q3 / "broken.xlsx"),
                                                                                "not-a-workbook")]
    assert report["totals"] == plain["totals"]                     # the totals are the plans' own, unchanged
    assert [p["figures"] for p in report["plans"]] == [p["figures"] for p in plain["plans"]]


def test_since_moves_are_the_diff_of_the_two_versions(since_run, since_folders):
    """The portfolio works out nothing new: each plan's move is `diff_since` of its two files."""
    from generator.diff import diff_since, to_json as diff_json

    _, report, _, _, _ = since_run
    now, q3 = since_folders
    result = check(now / "harbor.xlsx", AS_OF)
    expected = diff_json(diff_since(q3 / "harbor-2026-11-02.xlsx", result))
    harbor, = (p for p in report["plans"] if p["account_name"] == "Harbor Line Logistics")
    assert harbor["since"] == expected
    assert harbor["since_review"]["summary"] == expected["summary"]


def test_since_workbook_adds_the_moved_columns_after_the_others(since_run):
    _, report, _, out, _ = since_run
    wb = openpyxl.load_workbook(out / "portfolio.xlsx")
    rows = table_rows(wb["Plans"], "Plans")
    assert list(rows[0])[:len(workbook.PLAN_COLUMNS)] == list(workbook.PLAN_COLUMNS)
    assert list(rows[0])[len(workbook.PLAN_COLUMNS):] == ["Moved since last review", "Secured change",
                                                          "Uncovered gap change", "Earlier version"]
    by_name = {r["Account"]: r for r in rows}
    summaries = {p["account_name"]: p["since"]["summary"] for p in report["plans"] if p["since"]}
    for name, summary in summaries.items():
        assert by_name[name]["Moved since last review"] == summary
    harbor = by_name["Harbor Line Logistics"]
    assert (harbor["Secured change"], harbor["Uncovered gap change"]) == (650_000, -310_000)
    assert harbor["Earlier version"].endswith("harbor-2026-11-02.xlsx, the latest of 2 earlier versions")
    orion = by_name["Orion Retail GmbH"]
    assert orion["Moved since last review"] == "New since last review" and orion["Secured change"] is None
    not_read = table_rows(wb["Earlier not read"], "EarlierNotRead")
    assert [r["File"].rsplit("/", 1)[-1] for r in not_read] == ["broken.xlsx"]


def test_since_deck_ranks_the_moved_accounts_by_the_move_of_the_gap(since_run):
    _, report, _, out, _ = since_run
    prs = Presentation(str(out / "portfolio.pptx"))
    slide = prs.slides[1]                                          # right after the cover
    topic = next(s.text_frame.text for s in slide.shapes if s.name == "Topic")
    assert topic == "Moved since last review"
    assert slide.shapes.title.text_frame.text == \
        "2 accounts moved; Harbor Line Logistics the most (uncovered gap -$310K)"
    table = next(s for s in slide.shapes if s.name == "Moved accounts").table
    rows = [[c.text_frame.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["Account", "Uncovered gap", "Secured", "What moved"]
    assert [r[0] for r in rows[1:]] == ["Harbor Line Logistics", "ACME Ltd"]
    assert rows[1][1:3] == ["-$310K", "+$650K"] and rows[2][1:3] == ["—", "+$950K"]
    acme = next(p for p in report["plans"] if p["account_name"] == "ACME Ltd")
    assert rows[2][3] == acme["since"]["summary"]
    text = slide_text(slide)
    assert "New since last review: Orion Retail GmbH" in text
    assert "Earlier versions not usable: broken.xlsx" in text


def test_since_text_lists_each_move_and_the_files_not_usable(since_folders, tmp_path):
    now, q3 = since_folders
    result = _portfolio_run(now, "--since", q3, "-o", tmp_path)
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"since {q3}"))
    assert lines[start] == f"since {q3} (3 earlier plans): 2 moved, 1 new"
    assert lines[start + 1].startswith("  Harbor Line Logistics: Secured up $650K to $1.6M; uncovered gap down")
    assert lines[start + 3] == "  Orion Retail GmbH: New since last review"
    assert lines[start + 4] == "1 earlier file not usable:" and "broken.xlsx" in lines[start + 5]
    assert "Traceback" not in result.output


def test_since_match_by_account_name_never_the_plans_own_file(since_folders):
    """A plan is never its own earlier version (`--since` the same folder: every plan is new), and a folder
    holding only files that cannot be used stops nothing."""
    now, q3 = since_folders
    result = _portfolio_run(now, "--json", "--since", now)
    report = json.loads(result.stdout)
    assert {p["since_review"]["status"] for p in report["plans"]} == {"new"}
    assert report["since"]["earlier_read"] == 3
    result = _portfolio_run(now, "--json", "--since", q3 / "broken.xlsx")
    report = json.loads(result.stdout)
    assert {p["since_review"]["status"] for p in report["plans"]} == {"new"}
    assert len(report["since"]["not_usable"]) == 1


def test_since_an_unnamed_plan_and_an_account_gone_since(make_plan, tmp_path):
    from generator.portfolio import NEW, UNNAMED, entry_of, match_earlier

    def entry(name: str, file: str):
        return dataclasses.replace(entry_of(assess(make_plan(plan(name, 900_000)), AS_OF)), file=file)

    unnamed, acme = entry("", "now/unnamed.xlsx"), entry("ACME Ltd", "now/acme.xlsx")
    old_acme, gone = entry("Acme ltd", "q3/acme.xlsx"), entry("Cobalt Ridge Health", "q3/cobalt.xlsx")
    found, left = match_earlier([unnamed, acme], [gone])
    assert [s.status for s in found] == [UNNAMED, NEW] and left == ("Cobalt Ridge Health",)
    found, _ = match_earlier([acme], [old_acme, gone])
    assert found[0].earlier == old_acme.file and found[0].versions == 1


def test_since_on_a_dask_cluster_ships_both_versions_and_gives_the_same(since_folders, monkeypatch):
    """On a cluster the workers have no files: each plan and its earlier version travel as bytes (scattered
    beside the task here, as large files are), and the moves are the local pool's."""
    distributed = pytest.importorskip("distributed")
    from generator import cluster
    from generator.batch import find_plans
    from generator.portfolio import collect, compare_since

    now, q3 = since_folders
    files, _ = find_plans([now])
    earlier, _ = find_plans([q3])

    def report(**where):
        items = collect(files, AS_OF, **where)
        items, run = compare_since(items, earlier, q3, AS_OF, **where)
        return to_json(roll_up(items, as_of=AS_OF, since=run))

    local = report(jobs=2)
    monkeypatch.setattr(cluster, "INLINE_BYTES", 0)
    with distributed.LocalCluster(**cluster.local_cluster(1)) as here, \
            distributed.Client(here, set_as_default=False) as client:
        on_cluster = report(scheduler=client)
    assert on_cluster == local
    assert [p["since_review"]["status"] for p in local["plans"]] == ["moved", "moved", "new"]


# The kit's words (`[wording.portfolio]`) ------------------------------------------------------------------

KIT_WORDS = '''name = "Words Co"
version = "1"
[wording.portfolio]
cover_title = "{plans} under review on {date}"
cover_topic = "Book of business"
count_account_plans = "{count} plans of account"
sheet_totals = "Sums: per [currency]"
totals_title = "Sums per currency"
'''


def test_a_kits_portfolio_words_reach_the_deck_and_the_workbook(folder, tmp_path):
    """Titles, topics and sheet names are the kit's; the Excel tables keep their names and headers."""
    from generator.kit import KIT_FILE

    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / KIT_FILE).write_text(KIT_WORDS, encoding="utf-8")
    result = CliRunner().invoke(main, ["portfolio", str(folder), "-o", str(tmp_path / "out"), "--as-of",
                                       AS_OF.isoformat(), "--jobs", "1", "--kit", str(tmp_path / "kit")])
    assert result.exit_code == 2, result.output            # notes.xlsx is not a plan
    cover = slide_text(Presentation(str(tmp_path / "out" / "portfolio.pptx")).slides[0])
    assert f"4 plans of account under review on {fmt.date(AS_OF)}" in cover.splitlines()
    assert "Book of business" in cover.splitlines() and "Portfolio review" not in cover
    book = openpyxl.load_workbook(tmp_path / "out" / "portfolio.xlsx")
    assert book.sheetnames[:3] == ["Plans", "Sums per currency", "Uncovered gap"]    # what Excel refuses left out
    assert book["Sums per currency"]["A1"].value == "Sums per currency"
    assert list(book["Plans"].tables) == ["Plans"]
    assert [c.value for c in book["Plans"][4]][:3] == ["Account", "Owner", "Currency"]


def test_kit_check_refuses_a_portfolio_sentence_with_a_blank_its_default_lacks(tmp_path):
    from generator.kit import KIT_FILE

    (tmp_path / KIT_FILE).write_text('name = "Words Co"\nversion = "1"\n[wording.portfolio]\n'
                                     'cover_title = "{plans} in {region}"\n', encoding="utf-8")
    checked = CliRunner().invoke(main, ["kit", "check", str(tmp_path)])
    assert checked.exit_code == 2, checked.output
    assert checked.output.splitlines()[0] == (f"{tmp_path / KIT_FILE}:4: {{region}} is not a blank of "
                                              "'cover_title' (its blanks: {date}, {plans})")
