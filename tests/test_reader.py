"""The contract's reading rules, each on a workbook edited the way reps and other programs edit them."""
import datetime as dt
import hashlib

import openpyxl
import pytest
from conftest import harbor_data, needs_libreoffice
from openpyxl.workbook.defined_name import DefinedName
from workbooks import set_cell, write_plan

from generator.errors import NotAnAccountPlanError, TemplateTooNewError
from generator.model import build_plan
from generator.reader import read_plan

D = dt.date


def found(plan, code):
    return [(f.sheet, f.cell) for f in plan.read_findings if f.code == code]


def test_plan_written_through_the_template_reads_back_equal(tmp_path):
    data = harbor_data()
    plan = read_plan(write_plan(data, tmp_path / "p.xlsx"))
    expected = build_plan(data["fields"], data["lists"])
    assert plan.fields == expected.fields
    assert plan.lists == expected.lists
    assert plan.read_findings == []
    assert plan.places["account_name"].sheet == "Account" and plan.places["account_name"].cell == "C4"
    assert plan.opportunities[1].place("stage").cell == "D10"


def test_input_file_is_never_modified(tmp_path):
    path = write_plan(harbor_data(), tmp_path / "p.xlsx")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    read_plan(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_field_is_found_by_its_defined_name_wherever_it_was_moved(tmp_path):
    def move(wb):
        wb["Account"]["C4"].value = None
        wb["Objective"]["H30"].value = "Moved Ltd"
        wb.defined_names["account_name"] = DefinedName("account_name", attr_text="'Objective'!$H$30")
    plan = read_plan(write_plan(harbor_data(), tmp_path / "p.xlsx", move))
    assert plan.account_name == "Moved Ltd"
    assert str(plan.places["account_name"]) == "Objective!H30"


def test_headers_match_loosely_and_extra_and_reordered_columns_are_tolerated(tmp_path):
    def rearrange(wb):
        ws = wb["Path to number"]
        headers = [c.value for c in ws[8][1:9]]          # B8:I8
        rows = [[c.value for c in row[1:9]] for row in ws.iter_rows(min_row=9, max_row=13)]
        order = [3, 2, 0, 7, 6, 5, 4, 1]                  # Value, Stage, Opportunity, ...
        new_headers = ["  VALUE ", "stage", "Opportunity", "Next  step", "owner", "Close Date", "PROBABILITY",
                       "Offering"]
        for i, src in enumerate(order):
            ws.cell(row=8, column=2 + i, value=new_headers[i])
            for r, row in enumerate(rows):
                ws.cell(row=9 + r, column=2 + i).value = row[src]
        ws.cell(row=8, column=10, value="Region (mine)")
        for r in range(9, 14):
            ws.cell(row=r, column=10, value="East")
        table = ws.tables["Opportunities"]
        table.ref = "B8:J16"
        table.tableColumns = []
        table._initialise_columns()
        assert headers[0] == "Opportunity"
    plan = read_plan(write_plan(harbor_data(), tmp_path / "p.xlsx", rearrange))
    expected = [o["Opportunity"] for o in harbor_data()["lists"]["Opportunities"]]
    assert [o.opportunity for o in plan.opportunities] == expected
    assert plan.opportunities[0].value == 950_000 and plan.opportunities[0].stage == "Secured"
    assert plan.opportunities[1].place("value").cell == "B10"
    assert plan.read_findings == []


def test_rows_typed_just_past_the_tables_end_and_after_a_blank_row_are_read(tmp_path):
    def type_below(wb):
        ws = wb["Action plan"]
        end = int(ws.tables["Actions"].ref.split(":")[1][1:])
        for row, (what, due) in ((end + 1, ("Just past the end", D(2027, 1, 5))),
                                 (end + 3, ("After a blank row", D(2027, 1, 6)))):
            ws.cell(row=row, column=2, value=what)
            ws.cell(row=row, column=4, value="Dana")
            ws.cell(row=row, column=5, value=due)
    plan = read_plan(write_plan(harbor_data(), tmp_path / "p.xlsx", type_below))
    names = [a.action for a in plan.actions]
    assert names[-2:] == ["Just past the end", "After a blank row"]
    assert len(names) == 7


def test_blank_rows_inside_a_table_are_skipped(tmp_path):
    data = harbor_data()
    data["lists"]["Risks"].insert(1, {})
    plan = read_plan(write_plan(data, tmp_path / "p.xlsx"))
    assert [r.risk for r in plan.risks] == ["IT pushes an in-house build", "Proof of value slips past peak season"]
    assert plan.risks[1].excel_row == 8


@pytest.mark.parametrize("field, text, expected", [
    ("annual_target", "2,400,000", 2_400_000), ("annual_target", "US$1.2m", 1_200_000),
    ("annual_target", "$250k", 250_000), ("annual_target", "USD 75 000", 75_000),
    ("plan_date", "2026-11-02", D(2026, 11, 2)), ("plan_date", "31/10/2026", D(2026, 10, 31)),
    ("plan_date", "2 Nov 2026", D(2026, 11, 2)), ("plan_date", "November 2, 2026", D(2026, 11, 2)),
    ("relationship_score", "4", 4),
])
def test_text_numbers_and_dates_are_accepted_with_a_warning(tmp_path, field, text, expected):
    data = harbor_data()
    data["fields"][field] = text
    plan = read_plan(write_plan(data, tmp_path / "p.xlsx"))
    assert plan.fields[field] == expected
    assert [f.code for f in plan.read_findings] == ["value-coerced"]
    assert plan.read_findings[0].cell == plan.places[field].cell


@pytest.mark.parametrize("typed, expected, warned", [
    ("40%", 0.4, True), ("0.4", 0.4, True), ("40", 0.4, True), (0.4, 0.4, False), (40, 0.4, True)])
def test_percent_accepts_40_percent_0_4_and_40(tmp_path, typed, expected, warned):
    data = harbor_data()
    data["lists"]["Opportunities"][2]["Probability"] = typed
    plan = read_plan(write_plan(data, tmp_path / "p.xlsx"))
    assert plan.opportunities[2].probability == pytest.approx(expected)
    assert bool(found(plan, "value-coerced")) is warned


def test_ambiguous_text_date_is_refused_not_guessed(tmp_path):
    data = harbor_data()
    data["fields"]["plan_date"] = "03/04/2026"
    plan = read_plan(write_plan(data, tmp_path / "p.xlsx"))
    assert plan.fields["plan_date"] is None
    assert found(plan, "wrong-kind") == [("Account", "C9")]


def test_choices_are_normalised(tmp_path):
    data = harbor_data()
    data["lists"]["Opportunities"][0]["Stage"] = "  secured "
    data["lists"]["Stakeholders"][0]["Relationship"] = "TRUSTED   ADVISOR"
    data["fields"]["top_ten"] = "yes"
    data["fields"]["currency"] = "usd"
    plan = read_plan(write_plan(data, tmp_path / "p.xlsx"))
    assert plan.opportunities[0].stage == "Secured"
    assert plan.stakeholders[0].relationship == "Trusted advisor"
    assert (plan.fields["top_ten"], plan.fields["currency"]) == ("Yes", "USD")
    assert plan.read_findings == []


@pytest.mark.parametrize("mark", ["X", "x", "Y", "Yes", "✓", "TRUE", "1", True, 1])
def test_stage_marks_are_understood(tmp_path, mark):
    data = harbor_data()
    data["lists"]["Stakeholders"][1]["Need recognition"] = mark
    plan = read_plan(write_plan(data, tmp_path / "p.xlsx"))
    assert plan.stakeholders[1].need_recognition is True
    assert plan.stakeholders[1].information_search is False
    assert plan.read_findings == []


def test_formula_saved_without_a_value_is_a_warning_naming_the_cell(tmp_path):
    plan = read_plan(write_plan(harbor_data(), tmp_path / "p.xlsx", set_cell("Path to number", "C4", "=12*200000")))
    assert plan.fields["annual_target"] is None
    assert found(plan, "formula-no-value") == [("Path to number", "C4")]


@needs_libreoffice
def test_formula_is_read_by_the_value_excel_saved_and_a_libreoffice_resave_reads_the_same(tmp_path, soffice):
    data = harbor_data()
    source = write_plan(data, tmp_path / "p.xlsx", set_cell("Path to number", "C4", "=12*200000"))
    resaved, = soffice(source, "xlsx", tmp_path / "lo")
    plan = read_plan(resaved)
    assert plan.fields["annual_target"] == 2_400_000
    assert plan.read_findings == []
    expected = build_plan(data["fields"], data["lists"])
    assert plan.lists == expected.lists
    assert {k: v for k, v in plan.fields.items() if k != "annual_target"} == \
           {k: v for k, v in expected.fields.items() if k != "annual_target"}


def test_missing_table_and_missing_required_column_are_findings(tmp_path):
    def damage(wb):
        del wb["Competition"].tables["Competitors"]
        wb["Risks"]["B5"].value = "Threat"
    plan = read_plan(write_plan(harbor_data(), tmp_path / "p.xlsx", damage))
    assert [f.code for f in plan.read_findings if f.code == "table-missing"] == ["table-missing"]
    assert found(plan, "column-missing") == [("Risks", "B5")]
    assert plan.competitors == []


def test_a_workbook_with_none_of_the_contracts_names_is_not_an_account_plan(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Quarterly numbers"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(NotAnAccountPlanError, match="not an account plan"):
        read_plan(tmp_path / "other.xlsx")


def test_a_newer_template_version_is_refused(tmp_path):
    def newer(wb):
        sheet, cell = next(iter(wb.defined_names["template_version"].destinations))
        wb[sheet][cell.replace("$", "")].value = "9.0"
    with pytest.raises(TemplateTooNewError, match="9.0"):
        read_plan(write_plan(harbor_data(), tmp_path / "p.xlsx", newer))


def test_characters_excel_escapes_are_read_and_control_characters_cleaned(tmp_path):
    def escaped(wb):
        wb["Account"]["C6"].value = "Freight_x0007_ and_x000D_\nlogistics"
        wb["Account"]["C7"].value = "North_x000D_\nEast"
    plan = read_plan(write_plan(harbor_data(), tmp_path / "p.xlsx", escaped))
    assert plan.fields["industry"] == "Freight and\nlogistics"
    assert plan.fields["region"] == "North\nEast"
    assert found(plan, "text-cleaned") == [("Account", "C6")]
