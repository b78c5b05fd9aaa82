"""The plan layer follows the kit's definition: a kit's template carries its own fields, lists, drop-downs
and questions and records the kit; a plan made with it is read with its extra values; a plan from another
kit or another version of the kit says so; `upgrade` moves a plan into the current kit's template."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import AS_OF, harbor_data
from openpyxl.utils import get_column_letter, range_boundaries

from generator.cli import main
from generator.errors import OutputError
from generator.kit import default_kit
from generator.pipeline import assess, check
from generator.plan import model, schema
from generator.plan.model import build_plan
from generator.plan.reader import read_plan
from generator.plan.schema import CHOICE, DEFAULT_DEFINITION, MONEY, Column, Definition, Field, ListSpec, Section
from generator.plan.template import INSTRUCTIONS_SHEET, LISTS_SHEET, write_filled, write_template
from generator.plan.upgrade import upgrade

TERRITORIES = ("Great Lakes", "Gulf Coast", "Pacific")
ROLES = ("Reseller", "Integrator", "Referral")
QUESTIONS = ("Have we mapped the customer's procurement process?",
             "Does a named executive sponsor at the customer back this plan?",
             "Do we know the budget line this comes from, and who owns it?")
PARTNERS = ListSpec("Partners", "Partner", "partners", (
    Column("Partner", "partner", required=True, width=24),
    Column("Role", "role", CHOICE, choices=ROLES, width=14),
    Column("Value influenced", "value_influenced", MONEY, width=16),
))
PARTNER_SECTION = Section("Partner plan", "Partners", "Which partners help us win, and what each brings.",
                          lists=(PARTNERS,))


def northwind(version: str = "2027.1", legacy: bool = False):
    """The Northwind Sales kit built in code: two fields on the Account sheet (a third, `legacy_code`, in its
    older version only), its own pressure-test questions, and a Partner plan section of its own."""
    extra = (Field("territory", "Territory", CHOICE, required=True, choices=TERRITORIES),
             Field("partner_program", "Partner program"),
             *((Field("legacy_code", "Legacy code"),) if legacy else ()))
    sections = []
    for section in DEFAULT_DEFINITION.sections:
        if section.name == "Account":
            section = dataclasses.replace(section, fields=(*section.fields, *extra))
        if section.name == "Pressure test":
            spec = section.lists[0]
            section = dataclasses.replace(section, lists=(dataclasses.replace(
                spec, prefill=tuple((q,) for q in QUESTIONS)),))
        sections.append(section)
    return dataclasses.replace(default_kit(), name="Northwind Sales", version=version, currency="EUR",
                               definition=Definition(sections=(*sections, PARTNER_SECTION)))


def northwind_data(legacy: bool = False) -> dict:
    """The complete sample with Northwind's own values: its fields, a partner, its questions answered."""
    data = harbor_data()
    data["fields"].update(territory="Pacific", partner_program="Select partners")
    if legacy:
        data["fields"]["legacy_code"] = "LC-7"
    data["lists"]["Partners"] = [
        {"Partner": "Contoso Integration", "Role": "Integrator", "Value influenced": 120_000},
        {"Partner": "Fabrikam Freight", "Role": "Referral"},
    ]
    data["lists"]["PressureTest"] = [{"Question": q, "Answer": "Yes", "Evidence": f"Evidence {i}"}
                                     for i, q in enumerate(QUESTIONS, start=1)]
    return data


def named_cell(wb, name: str):
    (sheet, ref), = wb.defined_names[name].destinations
    return wb[sheet][ref.replace("$", "")]


def validation_choices(wb, ws, coordinate: str) -> list:
    dv, = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    sheet, ref = dv.formula1.split("!")
    min_col, min_row, _, max_row = range_boundaries(ref.replace("$", ""))
    lists = wb[sheet.strip("'")]
    return [lists.cell(row=r, column=min_col).value for r in range(min_row, max_row + 1)]


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


# The template ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kit_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kit") / "northwind.xlsx"
    write_template(path, northwind())
    return path


def test_a_kits_template_carries_its_fields_as_named_yellow_input_cells_with_drop_downs(kit_template):
    wb = openpyxl.load_workbook(kit_template)
    builtin_fill = default_kit().brand.input_fill
    for name, label in (("territory", "Territory *"), ("partner_program", "Partner program")):
        cell = named_cell(wb, name)
        assert cell.parent.title == "Account"
        assert cell.parent.cell(row=cell.row, column=cell.column - 1).value == label
        assert cell.fill.fgColor.rgb.endswith(builtin_fill)
    territory = named_cell(wb, "territory")
    assert validation_choices(wb, territory.parent, territory.coordinate) == list(TERRITORIES)
    assert wb[LISTS_SHEET].sheet_state == "hidden"


def test_a_kits_section_is_a_sheet_with_a_real_table_and_drop_downs(kit_template):
    wb = openpyxl.load_workbook(kit_template)
    ws = wb["Partners"]
    table = ws.tables["Partners"]
    min_col, header, max_col, last = range_boundaries(table.ref)
    assert [ws.cell(row=header, column=c).value for c in range(min_col, max_col + 1)] == \
        ["Partner", "Role", "Value influenced"]
    assert last - header >= 3
    role = f"{get_column_letter(min_col + 1)}{header + 50}"        # rows typed past the table's end too
    assert validation_choices(wb, ws, role) == list(ROLES)
    assert ws.cell(row=header + 1, column=min_col + 2).number_format == "#,##0"
    sections = [wb[INSTRUCTIONS_SHEET].cell(row=r, column=2).value for r in range(1, 40)]
    assert "Partner plan" in sections, "the Instructions list the kit's section"


def test_a_kits_template_comes_with_its_own_questions(kit_template):
    wb = openpyxl.load_workbook(kit_template)
    ws = wb["Pressure test"]
    min_col, header, _, _ = range_boundaries(ws.tables["PressureTest"].ref)
    assert [ws.cell(row=header + 1 + i, column=min_col).value for i in range(len(QUESTIONS) + 1)] == \
        [*QUESTIONS, None]


def test_a_kits_template_records_the_kit_and_names_it_and_types_its_currency(kit_template):
    wb = openpyxl.load_workbook(kit_template)
    assert named_cell(wb, schema.KIT_NAME_NAME).value == "Northwind Sales"
    assert named_cell(wb, schema.KIT_VERSION_NAME).value == "2027.1"
    version = named_cell(wb, schema.TEMPLATE_VERSION_NAME)
    assert version.value == schema.TEMPLATE_VERSION
    assert {named_cell(wb, n).parent.title for n in schema.RESERVED_NAMES} == {INSTRUCTIONS_SHEET}
    assert named_cell(wb, schema.KIT_NAME_NAME).row == version.row + 1
    assert "Northwind Sales" in wb[INSTRUCTIONS_SHEET]["A1"].value
    assert named_cell(wb, "currency").value == "EUR"
    assert read_plan(kit_template, definition=northwind().definition).currency == "EUR"


def test_the_built_in_template_records_no_kit_whatever_its_brand(tmp_path):
    """No kit recorded is the built-in kit: the committed template and the samples stay as they were."""
    kit = default_kit()
    other_brand = dataclasses.replace(kit, brand=dataclasses.replace(kit.brand, primary="112233"))
    for k, name in ((kit, "builtin.xlsx"), (other_brand, "brand.xlsx")):
        wb = openpyxl.load_workbook(write_template(tmp_path / name, k))
        assert schema.KIT_NAME_NAME not in wb.defined_names and schema.KIT_VERSION_NAME not in wb.defined_names
        assert wb[INSTRUCTIONS_SHEET]["A1"].value == "Account plan"
        assert named_cell(wb, "currency").value is None
    assert set(schema.RESERVED_NAMES) <= DEFAULT_DEFINITION.names


# Reading a plan of the kit -----------------------------------------------------------------------------

def test_a_plan_filled_in_the_kits_template_is_read_with_its_extra_values(tmp_path):
    kit = northwind()
    path = write_filled(northwind_data(), tmp_path / "plan.xlsx", kit)
    result = check(path, AS_OF, kit=kit)
    plan = result.plan
    assert plan.fields["territory"] == "Pacific" and plan.fields["partner_program"] == "Select partners"
    partners = plan.lists["Partners"]
    assert [(p.partner, p.role, p.value_influenced) for p in partners] == \
        [("Contoso Integration", "Integrator", 120_000), ("Fabrikam Freight", "Referral", None)]
    assert all(type(p) is model.row_class(PARTNERS) for p in partners)
    assert [q.question for q in plan.pressure_test] == list(QUESTIONS)
    assert plan.origin == model.Origin("Northwind Sales", "2027.1", plan.origin.place)
    assert result.figures.completeness.sections["Partner plan"] == 1.0
    assert result.figures.completeness.overall == 1.0
    assert result.findings == []


def test_blank_required_extra_items_count_towards_completeness_and_are_flagged(tmp_path):
    """A rep fills in the kit's blank template in Excel, leaving the territory and the partners blank."""
    kit = northwind()
    path = write_template(tmp_path / "plan.xlsx", kit)
    wb = openpyxl.load_workbook(path)
    for name, value in harbor_data()["fields"].items():
        named_cell(wb, name).value = value
    wb.save(path)
    result = check(path, AS_OF, kit=kit)
    territory = named_cell(wb, "territory")
    missing = [(f.sheet, f.cell) for f in result.findings if f.code == "required-missing"]
    assert ("Account", territory.coordinate) in missing
    assert result.figures.completeness.sections["Account"] < 1.0
    assert result.figures.completeness.sections["Partner plan"] == 0.0
    assert "Partner plan" in result.figures.completeness.missing
    assert any(f.code == "section-missing" and f.section == "Partner plan" for f in result.findings)
    assert not {"kit-other", "template-old"} & set(codes(result))


def test_a_plan_built_in_code_in_the_kits_definition(tmp_path):
    kit = northwind()
    data = northwind_data()
    plan = build_plan(data["fields"], data["lists"], definition=kit.definition)
    assert plan.fields["territory"] == "Pacific" and len(plan.lists["Partners"]) == 2
    result = assess(plan, AS_OF, kit=kit)
    assert result.findings == [] and result.figures.completeness.sections["Partner plan"] == 1.0
    with pytest.raises(KeyError):
        build_plan(data["fields"], data["lists"])          # the built-in definition has no territory


def test_the_same_plan_read_without_the_kit_says_which_kit_it_came_from(tmp_path):
    path = write_filled(northwind_data(), tmp_path / "plan.xlsx", northwind())
    result = check(path, AS_OF)
    found, = [f for f in result.findings if f.code == "kit-other"]
    assert found.severity == "warning"
    assert "Northwind Sales" in found.message and "2027.1" in found.message
    assert "territory" in found.message and "partner_program" in found.message and "Partners" in found.message
    assert "not read" in found.message
    assert (found.sheet, found.cell) == (INSTRUCTIONS_SHEET, named_cell(openpyxl.load_workbook(path),
                                                                        schema.KIT_NAME_NAME).coordinate)
    assert "territory" not in result.plan.fields and "Partners" not in result.plan.lists
    assert "Partner plan" not in result.figures.completeness.sections
    assert set(result.plan.unknown_fields) == {"territory", "partner_program"}
    assert result.plan.unknown_fields["territory"][1] == "Pacific"
    assert len(result.plan.unknown_lists["Partners"][1]) == 2
    assert codes(result) == ["kit-other"]       # read with the built-in definition, it is otherwise clean


def test_a_built_in_plan_read_with_a_kit_says_it_came_from_the_built_in_template():
    result = check(Path(__file__).resolve().parent.parent / "samples" / "harbor-line-logistics.xlsx", AS_OF,
                   kit=northwind())
    found, = [f for f in result.findings if f.code == "kit-other"]
    assert "built-in template" in found.message and "Northwind Sales" in found.message
    assert "accountplan upgrade" in found.hint


def test_a_plan_from_another_version_of_the_kit_is_read_by_names_and_warns(tmp_path):
    path = write_filled(northwind_data(legacy=True), tmp_path / "plan.xlsx", northwind("2026.2", legacy=True))
    result = check(path, AS_OF, kit=northwind("2027.1"))
    found, = [f for f in result.findings if f.code == "template-old"]
    assert found.severity == "warning"
    assert "2026.2" in found.message and "2027.1" in found.message and "legacy_code" in found.message
    assert result.plan.fields["territory"] == "Pacific" and len(result.plan.lists["Partners"]) == 2
    assert "kit-other" not in codes(result)
    assert check(path, AS_OF, kit=northwind("2026.2", legacy=True)).findings == []


# Upgrade -----------------------------------------------------------------------------------------------

def comparable(plan) -> tuple:
    """A plan's values: every field, and every list's rows with what was typed in refused cells."""
    return (plan.fields, plan.typed,
            {table: [(row, row.typed) for row in rows] for table, rows in plan.lists.items()})


def test_upgrade_from_an_older_version_carries_every_value_and_reports_the_dropped_field(tmp_path):
    old_kit, new_kit = northwind("2026.2", legacy=True), northwind("2027.1")
    old = write_filled(northwind_data(legacy=True), tmp_path / "old.xlsx", old_kit)
    before = old.read_bytes()
    moved = upgrade(old, tmp_path / "new.xlsx", new_kit)
    assert old.read_bytes() == before
    dropped, = moved.left
    assert (dropped.kind, dropped.name, dropped.value) == ("field", "legacy_code", "LC-7")
    assert not moved.complete
    assert any("not placed: field legacy_code" in line for line in moved.lines())
    was = read_plan(old, definition=new_kit.definition)
    now = read_plan(tmp_path / "new.xlsx", definition=new_kit.definition)
    assert comparable(now) == comparable(was)
    assert now.origin.kit == "Northwind Sales" and now.origin.version == "2027.1"
    result = check(tmp_path / "new.xlsx", AS_OF, kit=new_kit)
    assert result.findings == []


def test_upgrade_keeps_the_reps_mistakes_to_fix_and_the_types_of_values(tmp_path):
    """The sample with the usual mistakes moves into a kit's template: every value as read, the refused
    ones as typed; the kit's new items are blank, its questions added below the plan's own."""
    sample = Path(__file__).resolve().parent.parent / "samples" / "cobalt-ridge-health.xlsx"
    kit = northwind()
    moved = upgrade(sample, tmp_path / "new.xlsx", kit)
    assert moved.complete and moved.left == []
    assert any("territory" in note and "Partners" in note for note in moved.notes)
    was, now = read_plan(sample, definition=kit.definition), read_plan(tmp_path / "new.xlsx", definition=kit.definition)
    assert now.fields == was.fields and now.typed == was.typed
    for table, rows in was.lists.items():
        if table == "PressureTest":
            assert now.lists[table][:len(rows)] == rows
            assert [q.question for q in now.lists[table][len(rows):]] == list(QUESTIONS)
        else:
            assert [(r, r.typed) for r in now.lists[table]] == [(r, r.typed) for r in rows], table
    refused = {(f.code, f.message) for f in check(sample, AS_OF).findings if f.severity == "error"}
    assert refused and refused <= {(f.code, f.message) for f in check(tmp_path / "new.xlsx", AS_OF, kit=kit).findings}
    assert now.currency == was.currency == "USD", "a blank currency stays blank, not the kit's EUR"


def test_upgrade_lists_a_value_in_a_column_the_kits_list_does_not_have(tmp_path):
    old = write_filled(harbor_data(), tmp_path / "old.xlsx")
    wb = openpyxl.load_workbook(old)
    ws = wb["Path to number"]
    table = ws.tables["Opportunities"]
    min_col, header, max_col, last = range_boundaries(table.ref)
    extra = get_column_letter(max_col + 1)
    table.ref = f"{get_column_letter(min_col)}{header}:{extra}{last}"
    ws[f"{extra}{header}"] = "Region code"
    ws[f"{extra}{header + 2}"] = "EMEA-4"
    wb.save(old)
    moved = upgrade(old, tmp_path / "new.xlsx")
    left, = moved.left
    assert (left.kind, left.name, left.place, left.value) == \
        ("column", "Opportunities › Region code", f"Path to number!{extra}{header + 2}", "EMEA-4")


def test_upgrade_never_writes_over_the_old_plan_nor_over_another_file(tmp_path):
    old = write_filled(harbor_data(), tmp_path / "old.xlsx")
    before = old.read_bytes()
    with pytest.raises(OutputError):
        upgrade(old, old)
    other = tmp_path / "other.xlsx"
    other.write_bytes(b"someone's file")
    with pytest.raises(OutputError):
        upgrade(old, other)
    assert old.read_bytes() == before and other.read_bytes() == b"someone's file"
    assert upgrade(old, other, force=True).complete
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temporary file left"


def test_upgrade_command_exit_codes(tmp_path):
    runner = CliRunner()
    sample = Path(__file__).resolve().parent.parent / "samples" / "harbor-line-logistics.xlsx"
    done = runner.invoke(main, ["upgrade", str(sample), "-o", str(tmp_path / "harbor.xlsx")])
    assert done.exit_code == 0, done.output
    assert "wrote" in done.output and "not placed" not in done.output
    kit_plan = write_filled(northwind_data(), tmp_path / "northwind.xlsx", northwind())
    dropped = runner.invoke(main, ["upgrade", str(kit_plan), "-o", str(tmp_path / "built-in.xlsx")])
    assert dropped.exit_code == 1, dropped.output
    for name in ("field territory", "field partner_program", "list Partners"):
        assert f"not placed: {name}" in dropped.output
    assert (tmp_path / "built-in.xlsx").exists()
    refused = runner.invoke(main, ["upgrade", str(kit_plan), "-o", str(kit_plan)])
    assert refused.exit_code == 3
    again = runner.invoke(main, ["upgrade", str(sample), "-o", str(tmp_path / "harbor.xlsx")])
    assert again.exit_code == 3 and "--force" in again.output
    missing = runner.invoke(main, ["upgrade", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "x.xlsx")])
    assert missing.exit_code == 2
