"""Every finding code on a plan that triggers it, naming the exact cell; none on the complete sample."""
import datetime as dt

import pytest
from openpyxl.workbook.defined_name import DefinedName
from conftest import AS_OF, harbor_data
from workbooks import set_cell, write_plan

from generator.assess import findings as catalogue
from generator.pipeline import assess, check
from generator.plan.schema import SECTIONS
from generator.plan.template import write_template

D = dt.date


def codes_at(result, code):
    return [(f.sheet, f.cell) for f in result.findings if f.code == code]


def edited(**changes):
    """harbor_data() with fields replaced and list rows patched: changes = {name: value} or
    {"Table": {row_index: {header: value}}}."""
    data = harbor_data()
    for key, value in changes.items():
        if key in data["lists"] or key[0].isupper():
            rows = data["lists"].setdefault(key, [])
            for index, patch in value.items():
                if index == "all":
                    data["lists"][key] = patch
                else:
                    rows[index].update(patch)
        else:
            data["fields"][key] = value
    return data


CASES = [
    # code, data, expected (sheet, cell)
    ("wrong-kind", edited(annual_target="lots"), ("Path to number", "C4")),
    ("wrong-kind", edited(plan_date="03/04/2027"), ("Account", "C9")),
    ("out-of-range", edited(Opportunities={1: {"Probability": 1.5}}), ("Path to number", "F10")),
    ("out-of-range", edited(relationship_score=7), ("Account", "C14")),
    ("out-of-range", edited(Opportunities={0: {"Value": -5}}), ("Path to number", "E9")),
    ("choice-invalid", edited(Opportunities={0: {"Stage": "Won"}}), ("Path to number", "D9")),
    ("value-coerced", edited(prior_year_actual="$1.9m"), ("Path to number", "C5")),
    ("value-ambiguous", edited(Opportunities={0: {"Value": "950.000"}}), ("Path to number", "E9")),
    ("value-ambiguous", edited(annual_target="2,4M"), ("Path to number", "C4")),
    ("currency-mismatch", edited(Opportunities={1: {"Value": "EUR 300k"}}), ("Path to number", "E10")),
    ("required-missing", edited(account_owner=None), ("Account", "C5")),
    ("required-missing", edited(Stakeholders={2: {"Role": None}}), ("Relationships", "E8")),
    ("section-incomplete", edited(account_owner=None), ("Account", "C5")),
    ("section-missing", edited(Competitors={"all": []}), ("Competition", "B6")),
    ("action-no-owner", edited(Actions={1: {"Owner": None}}), ("Action plan", "D7")),
    ("action-no-due-date", edited(Actions={2: {"Due date": None}}), ("Action plan", "E8")),
    ("action-overdue", edited(Actions={3: {"Due date": D(2026, 11, 1)}}), ("Action plan", "E9")),
    ("no-open-action", edited(Actions={"all": [{"Action": "x", "Owner": "y", "Due date": D(2027, 1, 1),
                                                "Status": "Done"}]}), ("Action plan", "B6")),
    ("opportunity-past-close", edited(Opportunities={2: {"Close date": D(2026, 11, 1)}}), ("Path to number", "G11")),
    ("no-decision-maker", edited(Stakeholders={0: {"Role": "Influencer"}}), ("Relationships", "E6")),
    ("decision-maker-weak", edited(Stakeholders={0: {"Relationship": "Unknown"}}), ("Relationships", "F6")),
    ("single-threaded", edited(Stakeholders={1: {"Relationship": "Poor"}, 2: {"Relationship": "Poor"},
                                             3: {"Relationship": "Poor"}, 5: {"Relationship": "Poor"}}),
     ("Relationships", "F6")),
    ("stage-exposed", edited(Stakeholders={4: {"Need recognition": "X"}, 2: {"Role": "Influencer",
                                                                          "Relationship": "Building trust"}}),
     ("Relationships", "H10")),
    ("sponsor-unknown", edited(objective_sponsor="Someone Else"), ("Objective", "C8")),
    ("risk-unmitigated", edited(Risks={0: {"Mitigation": None}}), ("Risks", "E6")),
    ("review-overdue", edited(next_review_date=D(2026, 11, 24)), ("Account", "C10")),
    ("plan-stale", edited(plan_date=D(2026, 8, 16)), ("Account", "C9")),
]


def _broken_name(wb):   # and no label to find the field by instead
    wb.defined_names["industry"] = DefinedName("industry", attr_text="'Account'!$C$6:$C$7")
    wb["Account"]["B6"].value = None


def _name_gone(wb):
    del wb.defined_names["account_name"]


def _name_and_label_gone(wb):
    _name_gone(wb)
    wb["Account"]["B4"].value = None


def _table_gone(wb):
    del wb["Competition"].tables["Competitors"]


def _table_and_headers_gone(wb):
    _table_gone(wb)
    for cell in wb["Competition"][5]:
        cell.value = None


def _total_line(wb):
    set_cell("Path to number", "B14", "Total")(wb)
    set_cell("Path to number", "E14", 2_550_000)(wb)


def _row_pasted_twice(wb):
    ws = wb["Path to number"]
    for column in range(2, 10):
        ws.cell(row=14, column=column).value = ws.cell(row=10, column=column).value


def _recorded_kit(name, version):
    """The workbook records a kit (as a kit's template does, below the template version)."""
    def edit(wb):
        ws = wb["Instructions"]
        for row, (key, value) in enumerate((("kit_name", name), ("kit_version", version)), start=35):
            ws[f"C{row}"].value = value
            wb.defined_names[key] = DefinedName(key, attr_text=f"'Instructions'!$C${row}")
    return edit


# Cases that need the workbook itself edited: code, edit, expected (sheet, cell) or None for the whole workbook
EDIT_CASES = [
    ("formula-no-value", set_cell("Path to number", "C4", "=12*200000"), ("Path to number", "C4")),
    ("text-cleaned", set_cell("Account", "C6", "Freight_x0007_ and_x001B_ logistics"), ("Account", "C6")),
    ("name-broken", _broken_name, None),
    ("name-recovered", _name_gone, ("Account", "C4")),
    ("name-missing", _name_and_label_gone, None),
    ("table-missing", _table_and_headers_gone, None),
    ("table-recovered", _table_gone, ("Competition", "B5")),
    ("column-missing", set_cell("Risks", "C5", "Severity"), ("Risks", "B5")),
    ("required-column-missing", set_cell("Risks", "B5", "Threat"), ("Risks", "B5")),
    ("header-renamed", set_cell("Path to number", "E8", "Value (USD)"), ("Path to number", "E8")),
    ("row-total-skipped", _total_line, ("Path to number", "B14")),
    ("row-duplicate", _row_pasted_twice, ("Path to number", "B14")),
    ("kit-other", _recorded_kit("Northwind Sales", "2027.1"), ("Instructions", "C35")),
    ("template-old", _recorded_kit("accountplan", "2025.1"), ("Instructions", "C35")),
]


@pytest.mark.parametrize("code, edit, place", EDIT_CASES, ids=[c[0] for c in EDIT_CASES])
def test_each_finding_from_an_edited_workbook_names_its_cell(tmp_path, code, edit, place):
    result = check(write_plan(harbor_data(), tmp_path / "plan.xlsx", edit), AS_OF)
    found = [f for f in result.findings if f.code == code]
    assert len(found) == 1, [(f.code, f.sheet, f.cell) for f in result.findings]
    assert (found[0].sheet, found[0].cell) == (place or ("", ""))


def test_every_code_of_the_catalogue_is_triggered_by_a_case():
    covered = {c[0] for c in CASES} | {c[0] for c in EDIT_CASES}
    assert covered == set(catalogue.CATALOGUE)


@pytest.mark.parametrize("code, data, place", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_finding_names_its_cell(tmp_path, code, data, place):
    result = check(write_plan(data, tmp_path / "plan.xlsx"), AS_OF)
    assert place in codes_at(result, code), [(f.code, f.sheet, f.cell) for f in result.findings]
    finding = next(f for f in result.findings if f.code == code and (f.sheet, f.cell) == place)
    assert finding.severity == catalogue.CATALOGUE[code].severity
    assert finding.message and finding.section


def test_stale_plan_edge_is_exactly_100_days(tmp_path):
    at_limit = check(write_plan(edited(plan_date=AS_OF - dt.timedelta(days=100)), tmp_path / "a.xlsx"), AS_OF)
    beyond = check(write_plan(edited(plan_date=AS_OF - dt.timedelta(days=101)), tmp_path / "b.xlsx"), AS_OF)
    assert not codes_at(at_limit, "plan-stale") and codes_at(beyond, "plan-stale")


def test_wrong_choice_hint_suggests_the_nearest_choice(tmp_path):
    result = check(write_plan(edited(Stakeholders={0: {"Relationship": "trusted advsor"}}), tmp_path / "p.xlsx"), AS_OF)
    finding = next(f for f in result.findings if f.code == "choice-invalid")
    assert finding.cell == "F6"
    assert "Trusted advisor" in finding.message and finding.hint == "Did you mean 'Trusted advisor'?"


def test_a_bad_value_is_blank_flagged_once_and_never_fatal(tmp_path):
    result = check(write_plan(edited(Opportunities={0: {"Stage": "Won"}}), tmp_path / "p.xlsx"), AS_OF)
    assert result.plan.opportunities[0].stage is None
    assert [f.code for f in result.findings if (f.sheet, f.cell) == ("Path to number", "D9")] == ["choice-invalid"]
    assert result.figures.secured == 0   # the renewal no longer counts


def test_complete_sample_has_no_finding(harbor):
    assert harbor.findings == []


def test_complete_sample_workbook_has_no_finding(tmp_path):
    assert check(write_plan(harbor_data(), tmp_path / "p.xlsx"), AS_OF).findings == []


def test_blank_template_is_an_empty_plan_with_every_section_missing(tmp_path):
    result = check(write_template(tmp_path / "blank.xlsx"), AS_OF)
    assert result.errors == []
    assert {f.code for f in result.findings} == {"section-missing"}
    assert result.figures.completeness.missing == [s.name for s in SECTIONS]
    assert result.plan.template_version == "1.0"


def test_strict_turns_warnings_into_errors(make_plan):
    data = harbor_data()
    data["fields"]["objective_sponsor"] = "Nobody"
    plan = make_plan(data)
    assert assess(plan, AS_OF).errors == []
    strict = assess(plan, AS_OF, strict=True)
    assert [f.code for f in strict.errors] == ["sponsor-unknown"]


def test_findings_sort_errors_first(tmp_path):
    result = check(write_plan(edited(Opportunities={0: {"Stage": "Won"}}, objective_sponsor="X"), tmp_path / "p.xlsx"),
                   AS_OF)
    severities = [f.severity for f in result.findings]
    assert severities == sorted(severities, key=catalogue.SEVERITY_ORDER.get)


def test_wrong_choice_hint_knows_what_reps_mean(tmp_path):
    result = check(write_plan(edited(Opportunities={0: {"Stage": "Closed won"}}), tmp_path / "p.xlsx"), AS_OF)
    finding = next(f for f in result.findings if f.code == "choice-invalid")
    assert finding.hint == "Did you mean 'Secured'?"


def test_a_missing_column_is_reported_once_not_by_every_check_on_every_row(tmp_path):
    def lose_owner_and_role(wb):
        wb["Action plan"]["D5"].value = "Who"
        wb["Relationships"]["E5"].value = "Function"
    result = check(write_plan(harbor_data(), tmp_path / "p.xlsx", lose_owner_and_role), AS_OF)
    assert sorted((f.code, f.sheet, f.cell) for f in result.errors) == [
        ("required-column-missing", "Action plan", "B5"), ("required-column-missing", "Relationships", "B5")]
    assert not [f for f in result.findings if f.code in ("required-missing", "action-no-owner", "no-decision-maker")]


def test_a_section_that_cannot_be_found_is_not_reported_blank(tmp_path):
    result = check(write_plan(harbor_data(), tmp_path / "p.xlsx", _table_and_headers_gone), AS_OF)
    assert [f.code for f in result.findings] == ["table-missing"]
    assert result.findings[0].section == "Competition"
    assert "Competition" in result.figures.completeness.missing   # no value of it reaches the figures
