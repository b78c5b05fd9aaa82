"""The blank planning workbook: every contract name in place, drop-downs on every choice, and the
committed copy equal to what `accountplan new-template` writes."""
from pathlib import Path

import openpyxl
import pytest
from conftest import needs_libreoffice
from openpyxl.utils import quote_sheetname, range_boundaries
from workbooks import core_properties, doc_props, empty_text_cells, external_relationships, hyperlinks

from generator.plan import schema
from generator.plan.template import INSTRUCTIONS_SHEET, LISTS_SHEET, POSITION_MATRIX, write_template

COMMITTED = Path(__file__).resolve().parent.parent / "templates" / "account-plan.xlsx"
SAMPLES = COMMITTED.parent.parent / "samples"


@pytest.fixture(scope="module")
def blank_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "blank.xlsx"
    write_template(path)
    return path


@pytest.fixture(scope="module")
def blank(blank_file):
    return openpyxl.load_workbook(blank_file)


def content(wb) -> dict:
    """Everything a rep or a tool sees in a workbook, without the zip's bytes."""
    return {
        "sheets": [(ws.title, ws.sheet_state, ws.freeze_panes) for ws in wb.worksheets],
        "cells": {(ws.title, c.coordinate): (c.value, c.number_format)
                  for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None},
        "names": {n: list(d.destinations) for n, d in wb.defined_names.items()},
        "tables": {(ws.title, t.displayName, t.ref) for ws in wb.worksheets for t in ws.tables.values()},
        "validations": sorted((ws.title, str(dv.sqref), dv.type, dv.formula1)
                              for ws in wb.worksheets for dv in ws.data_validations.dataValidation),
        "widths": {(ws.title, k): v.width for ws in wb.worksheets for k, v in ws.column_dimensions.items()},
        "links": {(ws.title, c.coordinate): (c.hyperlink.target, c.hyperlink.location)
                  for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.hyperlink},
        "properties": (wb.properties.title, wb.properties.creator, wb.properties.lastPrinted),
    }


def test_committed_template_matches_what_the_command_writes(blank):
    assert content(openpyxl.load_workbook(COMMITTED)) == content(blank)


def test_every_field_is_a_workbook_scoped_name_on_one_labelled_input_cell(blank):
    for field in schema.FIELDS.values():
        (sheet, ref), = blank.defined_names[field.name].destinations
        cell = blank[sheet][ref.replace("$", "")]
        label = blank[sheet].cell(row=cell.row, column=cell.column - 1).value
        assert label.rstrip(" *") == field.label
        assert label.endswith("*") == field.required
        assert cell.fill.fgColor.rgb.endswith("FFF9E5")


def test_number_formats_follow_the_kind(blank):
    expected = {schema.MONEY: "#,##0", schema.DATE: "yyyy-mm-dd", schema.SCORE: "0"}
    for field in schema.FIELDS.values():
        (sheet, ref), = blank.defined_names[field.name].destinations
        if field.kind in expected:
            assert blank[sheet][ref.replace("$", "")].number_format == expected[field.kind], field.name


def test_every_list_is_a_real_table_with_the_contracts_headers(blank):
    tables = {t.displayName: (ws, t) for ws in blank.worksheets for t in ws.tables.values()}
    assert set(tables) == set(schema.LISTS)
    for name, spec in schema.LISTS.items():
        ws, table = tables[name]
        min_col, row, max_col, max_row = range_boundaries(table.ref)
        headers = [ws.cell(row=row, column=c).value for c in range(min_col, max_col + 1)]
        assert headers == [c.header for c in spec.columns]
        assert max_row - row >= 3, "a few empty rows to type into"
        assert ws.freeze_panes is not None


def choices_of(wb, dv) -> list:
    sheet, ref = dv.formula1.split("!")
    min_col, min_row, _, max_row = range_boundaries(ref.replace("$", ""))
    ws = wb[sheet.strip("'")]
    return [ws.cell(row=r, column=min_col).value for r in range(min_row, max_row + 1)]


def validation_at(ws, coordinate):
    return [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]


def test_every_choice_field_and_column_has_a_drop_down_of_exactly_its_choices(blank):
    for field in (f for f in schema.FIELDS.values() if f.choices):
        (sheet, ref), = blank.defined_names[field.name].destinations
        dv, = validation_at(blank[sheet], ref.replace("$", ""))
        assert choices_of(blank, dv) == list(field.choices)
    for spec in schema.LISTS.values():
        ws, table = next((ws, t) for ws in blank.worksheets for t in ws.tables.values() if t.displayName == spec.table)
        min_col, header, _, _ = range_boundaries(table.ref)
        for i, column in enumerate(c for c in spec.columns):
            letter = openpyxl.utils.get_column_letter(min_col + i)
            below_end = f"{letter}{header + 100}"   # rows typed past the table's end get it too
            if column.choices:
                dv, = validation_at(ws, below_end)
                assert choices_of(blank, dv) == list(column.choices), column.header
    assert blank[LISTS_SHEET].sheet_state == "hidden"


def test_pressure_test_comes_with_the_contracts_questions(blank):
    ws = blank["Pressure test"]
    questions = [ws.cell(row=r, column=2).value for r in range(6, 11)]
    for topic in ("decide", "inside", "reason to act now", "risks", "economic decision maker"):
        assert any(topic in q for q in questions), topic


def test_template_version_is_named(blank):
    (sheet, ref), = blank.defined_names[schema.TEMPLATE_VERSION_NAME].destinations
    assert blank[sheet][ref.replace("$", "")].value == schema.TEMPLATE_VERSION


def test_instructions_come_first_and_explain_the_position_matrix(blank):
    ws = blank.worksheets[0]
    assert ws.title == "Instructions"
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for position in schema.POSITIONS:
        assert position in text


# The package as the format rules see it ----------------------------------------------------------------

def committed_and_written(blank_file) -> list[Path]:
    return [blank_file, COMMITTED, *(SAMPLES / name for name in ("harbor-line-logistics.xlsx",
                                                                  "cobalt-ridge-health.xlsx"))]


def test_section_links_are_places_in_the_workbook_not_external_addresses(blank_file):
    """`#'Customer agenda'!A1` as an external relationship is not a URI (the space): a `location` is the rule."""
    expected = [f"{quote_sheetname(s.sheet)}!A1" for s in schema.SECTIONS]
    for path in committed_and_written(blank_file):
        links = hyperlinks(path, INSTRUCTIONS_SHEET)
        assert [link.get("location") for link in links] == expected, path.name
        assert not any("id" in link for link in links), path.name
        assert external_relationships(path) == [], path.name
    wb = openpyxl.load_workbook(blank_file)
    for link, section in zip(hyperlinks(blank_file, INSTRUCTIONS_SHEET), schema.SECTIONS):
        assert wb[INSTRUCTIONS_SHEET][link["ref"]].value == section.name
        assert section.sheet in wb.sheetnames


def test_properties_name_the_template_and_nothing_of_the_library(blank_file):
    for path in committed_and_written(blank_file)[:2]:
        props = core_properties(path)
        assert (props["title"], props["creator"]) == ("Account plan", "accountplan"), path.name
        assert "lastPrinted" not in props, path.name       # never printed
        assert "openpyxl" not in doc_props(path).lower(), path.name
    for path in committed_and_written(blank_file)[2:]:
        assert "lastPrinted" not in core_properties(path), path.name
        assert "openpyxl" not in doc_props(path).lower(), path.name


def test_no_cell_holds_an_empty_string(blank_file):
    """An empty text is an empty cell, not `<c t="inlineStr">` with nothing in it (the position matrix's corner,
    an empty value typed into a sample)."""
    for path in committed_and_written(blank_file):
        assert empty_text_cells(path) == [], path.name
    ws = openpyxl.load_workbook(blank_file)[INSTRUCTIONS_SHEET]
    header = next(c for row in ws.iter_rows() for c in row if c.value == POSITION_MATRIX[0][1])
    corner = ws.cell(row=header.row, column=header.column - 1)
    assert (corner.value, corner.border.left.style) == (None, "thin")   # still drawn, just empty


def test_a_filled_template_writes_empty_text_as_an_empty_cell(tmp_path):
    from generator.samples import harbor_line
    from workbooks import write_plan

    data = harbor_line()
    data["fields"]["region"] = ""
    data["lists"]["Opportunities"][0]["Next step"] = ""
    path = write_plan(data, tmp_path / "empty.xlsx")
    assert empty_text_cells(path) == []
    wb = openpyxl.load_workbook(path)
    (sheet, ref), = wb.defined_names["region"].destinations
    assert wb[sheet][ref.replace("$", "")].value is None


@needs_libreoffice
def test_libreoffice_opens_the_template(tmp_path, soffice):
    pdf, = soffice(COMMITTED, "pdf", tmp_path)
    assert pdf.stat().st_size > 10_000


@pytest.mark.parametrize("name", ["harbor-line-logistics.xlsx", "cobalt-ridge-health.xlsx"])
def test_committed_samples_match_what_the_sample_script_writes(tmp_path, name):
    from generator.samples import write_samples

    write_samples(tmp_path)
    committed = COMMITTED.parent.parent / "samples" / name
    assert content(openpyxl.load_workbook(committed)) == content(openpyxl.load_workbook(tmp_path / name))
