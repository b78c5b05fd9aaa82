"""The contract's reading rules, each on a workbook edited the way reps and other programs edit them."""
import datetime as dt
import hashlib

import openpyxl
import pytest
from conftest import AS_OF, harbor_data, needs_libreoffice
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.table import Table
from workbooks import set_cell, write_plan

from generator.errors import NotAnAccountPlanError, TemplateTooNewError
from generator.plan import schema
from generator.plan.model import Place, build_plan
from generator.pipeline import check
from generator.plan.reader import read_plan

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
        for cell in wb["Competition"][5]:          # and its header row: nothing left to find it by
            cell.value = None
        wb["Risks"]["B5"].value = "Threat"
    plan = read_plan(write_plan(harbor_data(), tmp_path / "p.xlsx", damage))
    missing, = [f for f in plan.read_findings if f.code == "table-missing"]
    assert "no table 'Competitors' and no header row" in missing.message and "sheet 'Competition'" in missing.message
    assert found(plan, "required-column-missing") == [("Risks", "B5")]
    assert plan.competitors == []
    assert "Competitors" in plan.not_found


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


# Workbooks as other tools and copies leave them: every typed value arrives, or a finding names its cell ----------

TIDY = build_plan(harbor_data()["fields"], harbor_data()["lists"])
HEADER_CELLS = {spec.table: ("Path to number", "B8") if spec.table == "Opportunities" else (section.sheet, "B5")
                for section in schema.SECTIONS for spec in section.lists}


def figures_of(path):
    result = check(path, AS_OF)
    return result, (result.figures.secured, result.figures.weighted_open, result.figures.position)


TIDY_FIGURES = (950_000, 725_000, "Key")


def _no_tables(wb):
    for ws in wb.worksheets:
        for name in list(ws.tables):
            del ws.tables[name]


def _no_names(wb):
    for name in list(wb.defined_names):
        del wb.defined_names[name]


def test_lists_without_excel_tables_are_read_from_their_header_rows(tmp_path):
    """Google Sheets exports, Excel's Convert to Range: every list still arrives, each one flagged."""
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", _no_tables))
    assert figures == TIDY_FIGURES
    assert result.plan.lists == TIDY.lists
    recovered = {f.section: (f.sheet, f.cell) for f in result.findings if f.code == "table-recovered"}
    assert sorted(recovered.values()) == sorted(HEADER_CELLS.values())
    opportunities = next(f for f in result.findings if f.code == "table-recovered" and f.cell == "B8")
    assert opportunities.message == ("Read the Opportunities list from Path to number!B8:I13: "
                                     "its Excel table is missing.")
    assert {f.code for f in result.findings} == {"table-recovered"}   # no section is called blank


def test_a_table_remade_under_another_name_is_found_by_its_headers(tmp_path):
    def remake(wb):
        ws = wb["Path to number"]
        ref = ws.tables["Opportunities"].ref
        del ws.tables["Opportunities"]
        ws.add_table(Table(displayName="Table1", ref=ref))
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", remake))
    assert figures == TIDY_FIGURES and result.plan.opportunities == TIDY.opportunities
    finding, = result.findings
    assert (finding.code, finding.sheet, finding.cell) == ("table-recovered", "Path to number", "B8")
    assert "'Table1'" in finding.message


def test_fields_without_defined_names_are_found_beside_their_labels(tmp_path):
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", _no_names))
    assert figures == TIDY_FIGURES
    assert result.plan.fields == TIDY.fields
    recovered = {(f.sheet, f.cell) for f in result.findings if f.code == "name-recovered"}
    assert len(recovered) == len(schema.FIELDS)
    assert {("Account", "C4"), ("Account", "C15"), ("Path to number", "C4"), ("Objective", "C4")} <= recovered
    account = next(f for f in result.findings if f.cell == "C4" and f.sheet == "Account")
    assert "account_name" in account.message and "Account!C4" in account.message
    assert {f.code for f in result.findings} == {"name-recovered"}


def test_a_label_is_taken_nearest_the_templates_place_not_the_sheet_title(tmp_path):
    def lose(wb):
        del wb.defined_names["objective_title"]      # the Objective sheet's title in A1 reads 'Objective' too
    plan = read_plan(write_plan(harbor_data(), tmp_path / "p.xlsx", lose))
    assert plan.fields["objective_title"] == TIDY.fields["objective_title"]
    assert found(plan, "name-recovered") == [("Objective", "C4")]


def test_sheet_scoped_names_are_used_when_the_workbook_names_are_broken(tmp_path):
    """A sheet copied between workbooks: its names became sheet-scoped and the workbook's point at #REF!."""
    def scope(wb):
        for name in list(wb.defined_names):
            defined = wb.defined_names[name]
            sheet, _ = next(iter(defined.destinations))
            wb[sheet].defined_names[name] = DefinedName(name, attr_text=defined.attr_text)
            wb.defined_names[name] = DefinedName(name, attr_text="#REF!")
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", scope))
    assert figures == TIDY_FIGURES and result.plan.fields == TIDY.fields
    assert result.plan.template_version == "1.0"
    recovered = [f for f in result.findings if f.code == "name-recovered"]
    assert len(recovered) == len(schema.FIELDS)
    first = next(f for f in recovered if (f.sheet, f.cell) == ("Account", "C4"))
    assert "#REF!" in first.message and "sheet 'Account'" in first.message


def test_a_copied_sheet_whose_original_is_gone_is_read_through_its_own_names(tmp_path):
    def copy_account(wb):
        copy = wb.copy_worksheet(wb["Account"])
        copy.title = "Account (2)"
        for name, item in schema.FIELDS.items():
            sheet, cell = next(iter(wb.defined_names[name].destinations))
            if sheet == "Account":
                copy.defined_names[name] = DefinedName(name, attr_text=f"'Account (2)'!{cell}")
        del wb["Account"]                           # the workbook names now point at a sheet that is gone
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", copy_account))
    assert figures == TIDY_FIGURES and result.plan.fields == TIDY.fields
    assert result.plan.places["account_name"] == Place("Account (2)", "C4")
    assert {f.code for f in result.findings} == {"name-recovered"}


def test_a_field_found_neither_by_name_nor_by_label_is_named_not_called_blank(tmp_path):
    def lose(wb):
        del wb.defined_names["account_name"]
        wb["Account"]["B4"].value = None
    result = check(write_plan(harbor_data(), tmp_path / "p.xlsx", lose), AS_OF)
    missing = [f for f in result.findings if f.code == "name-missing"]
    assert [(f.sheet, f.cell, f.message) for f in missing] == [("", "", (
        "The name account_name is missing from the workbook, and its label 'Account name' is not on sheet "
        "'Account'."))]
    assert not [f for f in result.findings if f.code in ("required-missing", "section-missing")]


def test_a_whole_section_whose_table_and_headers_are_gone_is_not_called_blank(tmp_path):
    def lose(wb):
        del wb["Relationships"].tables["Stakeholders"]
        for cell in wb["Relationships"][5]:
            cell.value = None
    result = check(write_plan(harbor_data(), tmp_path / "p.xlsx", lose), AS_OF)
    assert [f.code for f in result.findings] == ["table-missing"]   # no section-missing, no sponsor-unknown
    assert result.findings[0].message == ("There is no table 'Stakeholders' and no header row of it (Name, Role, "
                                          "Relationship) on sheet 'Relationships' or any other.")


def test_a_workbook_that_lost_every_name_and_table_is_still_read(tmp_path):
    def strip(wb):
        _no_tables(wb)
        _no_names(wb)
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", strip))
    assert figures == TIDY_FIGURES
    assert (result.plan.fields, result.plan.lists) == (TIDY.fields, TIDY.lists)
    assert {f.code for f in result.findings} == {"name-recovered", "table-recovered"}


def _rename(cells: dict[str, str]):
    def edit(wb):
        for cell, text in cells.items():
            wb["Path to number"][cell].value = text
    return edit


def test_headers_with_units_and_decorations_are_read_and_flagged(tmp_path):
    renamed = {"E8": "Value (USD)", "F8": "Probability %", "G8": "Close date (est.)"}
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", _rename(renamed)))
    assert figures == TIDY_FIGURES
    assert result.plan.opportunities == TIDY.opportunities
    flagged = {f.cell: f.message for f in result.findings if f.code == "header-renamed"}
    assert set(flagged) == set(renamed) and len(result.findings) == 3
    assert flagged["E8"] == "The Opportunities column headed 'Value (USD)' was read as 'Value'."
    assert "'Probability %'" in flagged["F8"] and "'Probability'" in flagged["F8"]


@pytest.mark.parametrize("cell, header", [("B8", "Opportunity #"), ("B8", "No. Opportunity"), ("D8", "Stage:"),
                                          ("H8", "Owner *"), ("E8", "Value USD"), ("E8", "Value in USD"),
                                          ("E8", "Value ($)"), ("F8", "Probability (%)"), ("G8", "Close date?")])
def test_more_decorations_are_tolerated(tmp_path, cell, header):
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", _rename({cell: header})))
    assert figures == TIDY_FIGURES
    assert [(f.code, f.cell) for f in result.findings] == [("header-renamed", cell)]


def test_a_required_column_gone_is_one_error_not_a_warning_per_row(tmp_path):
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", _rename({"E8": "Amount"})))
    assert figures[0] == 0                                   # no value can be read: shown as an error
    errors = [(f.code, f.sheet, f.cell) for f in result.errors]
    assert errors == [("required-column-missing", "Path to number", "B8")]
    assert "Amount" in result.errors[0].message               # the headers seen are named
    assert not [f for f in result.findings if f.code == "required-missing"]


def test_an_optional_column_gone_is_a_warning_at_the_header_row(tmp_path):
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", _rename({"F8": "Chance"})))
    assert [(f.code, f.sheet, f.cell) for f in result.findings] == [("column-missing", "Path to number", "B8")]
    assert "'Probability'" in result.findings[0].message and "Chance" in result.findings[0].message
    assert figures[0] == 950_000


@pytest.mark.parametrize("header, why", [("Value (EUR)", "'Value (EUR)' is in EUR, not the plan's USD"),
                                         ("Value ($k)", "'Value ($k)' counts in thousands")])
def test_amounts_headed_in_another_currency_or_unit_are_not_added_in(tmp_path, header, why):
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", _rename({"E8": header})))
    assert figures[0] == 0
    error, = result.errors
    assert (error.code, error.cell) == ("required-column-missing", "B8") and why in error.message


def test_excels_total_row_is_never_data(tmp_path):
    def total_row(wb):
        ws = wb["Path to number"]
        table = ws.tables["Opportunities"]
        table.ref, table.totalsRowCount = "B8:I17", 1
        ws["B17"] = "Total"
        ws["E17"] = "=SUBTOTAL(109,E9:E16)"
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", total_row))
    assert figures == TIDY_FIGURES
    assert result.plan.opportunities == TIDY.opportunities
    assert result.findings == []


@pytest.mark.parametrize("label, value", [("Total", 2_550_000), ("total:", "=SUM(E9:E13)"), ("Grand Total", 2_550_000),
                                          ("Subtotal", 2_550_000), ("Sum", 2_550_000)])
def test_a_typed_totals_line_is_skipped_and_flagged(tmp_path, label, value):
    def total_line(wb):
        wb["Path to number"]["B14"] = label
        wb["Path to number"]["E14"] = value
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", total_line))
    assert figures == TIDY_FIGURES
    assert result.plan.opportunities == TIDY.opportunities
    assert [(f.code, f.sheet, f.cell) for f in result.findings] == [("row-total-skipped", "Path to number", "B14")]


def test_subtotals_are_checked_against_the_rows_since_the_last_one(tmp_path):
    data = harbor_data()
    rows = data["lists"]["Opportunities"]
    data["lists"]["Opportunities"] = [*rows[:2], {"Opportunity": "Subtotal", "Value": 1_550_000}, *rows[2:],
                                      {"Opportunity": "Subtotal", "Value": 1_000_000},
                                      {"Opportunity": "Grand total", "Value": 2_550_000}]
    result, figures = figures_of(write_plan(data, tmp_path / "p.xlsx"))
    assert figures == TIDY_FIGURES
    assert [f.cell for f in result.findings if f.code == "row-total-skipped"] == ["B11", "B15", "B16"]


def test_a_row_named_total_that_does_not_add_up_is_kept_as_data(tmp_path):
    data = harbor_data()
    data["lists"]["Opportunities"].append({"Opportunity": "Total", "Stage": "Prospect", "Value": 100_000})
    result, figures = figures_of(write_plan(data, tmp_path / "p.xlsx"))
    assert [o.opportunity for o in result.plan.opportunities][-1] == "Total"
    assert result.figures.prospect == 500_000
    assert not [f for f in result.findings if f.code == "row-total-skipped"]


def test_rows_far_below_a_tables_end_are_read(tmp_path):
    def far_below(wb):
        ws = wb["Path to number"]
        ws["B2200"], ws["D2200"], ws["E2200"] = "Far below", "Secured", 50_000   # 2,184 rows past the table
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", far_below))
    assert len(result.plan.opportunities) == 6
    assert result.plan.opportunities[-1].excel_row == 2200
    assert figures[0] == 1_000_000


def test_a_list_read_from_its_headers_ends_only_at_the_next_list(tmp_path):
    """Every list on one sheet, tables gone: each list stops at the next one's header row, none is lost."""
    def one_sheet(wb):
        _no_tables(wb)
        ws, risks = wb["Path to number"], wb["Risks"]
        for r, row in enumerate(risks.iter_rows(min_row=5, max_row=7, min_col=2, max_col=7, values_only=True),
                                start=40):
            for c, value in enumerate(row, start=2):
                ws.cell(row=r, column=c, value=value)
        del wb["Risks"]
    result, figures = figures_of(write_plan(harbor_data(), tmp_path / "p.xlsx", one_sheet))
    assert figures == TIDY_FIGURES
    assert result.plan.lists == TIDY.lists
    assert ("Path to number", "B40") in [(f.sheet, f.cell) for f in result.findings if f.code == "table-recovered"]


def test_a_row_pasted_twice_is_counted_and_flagged(tmp_path):
    data = harbor_data()
    data["lists"]["Opportunities"].append(dict(data["lists"]["Opportunities"][1]))
    result, figures = figures_of(write_plan(data, tmp_path / "p.xlsx"))
    assert figures[1] == 725_000 + 600_000 * 0.7                # both count: it is the rep's data
    duplicate, = [f for f in result.findings if f.code == "row-duplicate"]
    assert (duplicate.sheet, duplicate.cell) == ("Path to number", "B14")
    assert duplicate.message == "Row 14 repeats row 10 of Opportunities: both are counted."


def test_the_template_questions_are_not_duplicates_of_each_other(tmp_path):
    data = harbor_data()
    data["lists"]["PressureTest"] = [{"Question": q[0]} for q in schema.LISTS["PressureTest"].prefill] * 2
    plan = read_plan(write_plan(data, tmp_path / "p.xlsx"))
    assert found(plan, "row-duplicate") == []
