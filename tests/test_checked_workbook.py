"""The checked workbook: the rep's own workbook back, unchanged where they typed, with the figures on a
Summary sheet, every finding on a Review sheet and flagged in place; and built again, the same."""
import copy
import dataclasses
import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import AS_OF, harbor_data, needs_libreoffice, overdue_data
from outputs import render_output
from workbooks import (core_properties, doc_props, empty_text_cells, external_relationships, hyperlinks, set_cell,
                       write_plan)

from generator import PRODUCER, fmt
from generator.render import checked
from generator.assess import findings
from generator.plan import schema
from generator.kit import default_kit
from generator.render.checked.styles import number_format
from generator.render.checked.summary import GROUPS, PATH, TOP
from generator.pipeline import assess, check
from generator.plan.reader import read_plan
from generator.view import build_view

BRAND = default_kit().brand

USER_FORMULA_TEXT = '=HYPERLINK("x")'


def flawed_data() -> dict:
    """The sample with an error, a missing section and a name a spreadsheet would take for a formula."""
    data = harbor_data()
    data["lists"]["Opportunities"][0]["Stage"] = "Won"
    data["lists"]["Opportunities"][1]["Opportunity"] = USER_FORMULA_TEXT
    data["lists"]["Competitors"] = []
    data["fields"]["relationship_score"] = 9
    return data


def render(source: Path, out: Path):
    """Check `source` and write its checked workbook to `out`, as `build` does."""
    result = check(source, AS_OF)
    render_checked(result, out)
    return result


def render_checked(result, out: Path, kit=None):
    """The checked workbook of an assessed plan: its own workbook as the source, none for a plan built in code."""
    render_output(checked, result, out, kit, source=checked.source_of(result.plan))


@pytest.fixture
def flawed(tmp_path):
    """(input, output, result) of the flawed sample."""
    source = write_plan(flawed_data(), tmp_path / "flawed.xlsx")
    out = tmp_path / "flawed-plan-checked.xlsx"
    return source, out, render(source, out)


def figure_cells(ws) -> dict[str, openpyxl.cell.Cell]:
    """Summary label (column B) -> the cell holding its figure (column C)."""
    return {row[1].value: row[2] for row in ws.iter_rows(min_col=1, max_col=4) if row[1].value}


def flag_of(cell) -> str | None:
    colour = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
    return colour[-6:] if isinstance(colour, str) else None


def style(cell, *parts: str) -> tuple:
    """The cell's style objects themselves (openpyxl hands out proxies that do not compare)."""
    return tuple(copy.copy(getattr(cell, part)) for part in parts)


def flags_record(path: Path) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[checked.FLAGS_SHEET].iter_rows(values_only=True))


# What the rep typed ---------------------------------------------------------------------------------

def test_every_value_name_table_format_and_width_of_the_input_is_kept(flawed):
    source, out, _ = flawed
    before, after = openpyxl.load_workbook(source), openpyxl.load_workbook(out)
    flagged = {(sheet, cell) for _, sheet, cell, *_ in flags_record(out)}
    assert [name for name in after.sheetnames if name in before.sheetnames] == before.sheetnames
    for ws in before.worksheets:
        kept = after[ws.title]
        assert ws.sheet_state == kept.sheet_state
        for row in ws.iter_rows():
            for cell in row:
                twin = kept[cell.coordinate]
                where = f"{ws.title}!{cell.coordinate}"
                assert (twin.value, twin.data_type, twin.number_format, twin.hyperlink, *style(twin, "font",
                        "border", "alignment", "protection")) == (cell.value, cell.data_type, cell.number_format,
                        cell.hyperlink, *style(cell, "font", "border", "alignment", "protection")), where
                if (ws.title, cell.coordinate) not in flagged:
                    assert (*style(twin, "fill"), getattr(twin.comment, "text", None)) == \
                           (*style(cell, "fill"), getattr(cell.comment, "text", None)), where
        assert {k: d.width for k, d in ws.column_dimensions.items()} == \
               {k: d.width for k, d in kept.column_dimensions.items()}
        assert dict(ws.tables.items()) == dict(kept.tables.items())
        assert ws.freeze_panes == kept.freeze_panes
    assert {n: d.attr_text for n, d in before.defined_names.items()} == \
           {n: d.attr_text for n, d in after.defined_names.items()}


def test_user_text_that_looks_like_a_formula_stays_text(flawed, tmp_path):
    _, out, result = flawed
    opportunity = result.plan.opportunities[1]
    place = opportunity.place("opportunity")
    assert opportunity.opportunity == USER_FORMULA_TEXT
    cell = openpyxl.load_workbook(out)[place.sheet][place.cell]
    assert (cell.value, cell.data_type) == (USER_FORMULA_TEXT, "s")
    with zipfile.ZipFile(out) as archive:
        assert not any(b"<f>HYPERLINK" in archive.read(name) for name in archive.namelist())
    quoting = findings.make("choice-invalid", "Path to the number", place, f"{USER_FORMULA_TEXT} is not a stage.")
    render_checked(dataclasses.replace(result, findings=[quoting]), tmp_path / "quoting.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "quoting.xlsx")
    message = wb["Review"]["E2"]
    assert (message.value, message.data_type) == (quoting.message, "s")
    assert wb[place.sheet][place.cell].comment.text.endswith(quoting.message)


def test_the_checked_workbook_reads_back_as_the_same_plan(flawed):
    source, out, result = flawed
    again = read_plan(out)
    first = read_plan(source)
    assert again.fields == first.fields
    assert again.lists == first.lists
    assert check(out, AS_OF).findings == result.findings


def test_render_leaves_the_plans_own_workbook_alone(flawed):
    _, _, result = flawed
    assert checked.SUMMARY_SHEET not in result.plan.workbook.sheetnames


# Summary ---------------------------------------------------------------------------------------------

def test_summary_is_first_after_instructions_and_holds_the_figures(flawed):
    _, out, result = flawed
    f = result.figures
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["Instructions", "Summary", "Review"]
    assert wb.active.title == "Summary"
    cells = figure_cells(wb["Summary"])
    money = fmt.money_format(f.currency)
    expected = {"Annual target": f.annual_target, "Prior year actual": f.prior_year_actual, "Secured": f.secured,
                "Forecast": f.forecast, "Pipeline": f.pipeline, "Prospect": f.prospect,
                "Weighted open": f.weighted_open, "Uncovered gap": f.uncovered_gap,
                "Open whitespace": f.whitespace_open}
    for label, value in expected.items():
        assert (cells[label].value, cells[label].number_format) == (value, money), label
    assert cells["Position"].value == (f.position or fmt.NONE)
    assert cells["Figures as of"].value.date() == AS_OF
    assert cells["Pipeline coverage"].value == pytest.approx(f.pipeline_coverage)
    assert cells["Growth vs prior year"].value == pytest.approx(f.growth_vs_prior)
    assert (cells["Readiness"].value, cells["Readiness"].number_format) == (pytest.approx(f.readiness), "0%")
    assert [cells[k].value for k in ("Open actions", "Done", "Blocked", "Overdue", "Due within 14 days")] == \
           [f.actions.open, f.actions.done, f.actions.blocked, f.actions.overdue, f.actions.due_soon]
    assert cells["Complete"].value == pytest.approx(f.completeness.overall)
    for section in schema.SECTIONS:
        assert cells[section.name].value == pytest.approx(f.completeness.sections[section.name])
    competition = wb["Summary"].cell(row=cells["Competition"].row, column=4)
    assert competition.value == "missing"
    gap_row = cells["Gap to target"].row
    assert wb["Summary"].cell(row=gap_row, column=4).value == f.gap_to_target


def test_the_chart_stacks_the_cells_holding_secured_open_and_gap(flawed):
    _, out, result = flawed
    f = result.figures
    ws = openpyxl.load_workbook(out)["Summary"]
    cells = figure_cells(ws)
    (chart,) = ws._charts
    assert chart.grouping == "stacked"
    series = {}
    for s in chart.series:
        title_ref = s.tx.strRef.f
        title = ws[title_ref.split("!")[1].replace("$", "")].value
        sheet, cells_ref = s.val.numRef.f.split("!")
        assert sheet.strip("'") == "Summary"
        series[title] = [c.value for row in ws[cells_ref.replace("$", "")] for c in row]
    assert series == {"Secured": [f.secured, f.secured], "Forecast": [f.forecast, None],
                      "Pipeline": [f.pipeline, None], "Prospect": [f.prospect, None],
                      "Gap to target": [None, f.gap_to_target]}
    assert cells["Secured"].value == f.secured


def test_the_summarys_figures_are_the_views(flawed):
    """Every figure on the Summary is the view's line: its value, in the format of its kind and currency."""
    _, out, result = flawed
    view = build_view(result.plan, result.figures, result.findings, default_kit())
    ws = openpyxl.load_workbook(out)["Summary"]
    cells = figure_cells(ws)
    keys = [*TOP, *(key for _, group in GROUPS for key in group), "completeness"]
    for key in keys:
        figure = view.figure(key)
        cell = cells[figure.label]
        if figure.value is None or isinstance(figure.value, str):
            assert cell.value == (figure.value or fmt.NONE), key
            continue
        shown = cell.value.date() if figure.kind == "date" else cell.value
        assert shown == pytest.approx(figure.value), key
        assert cell.number_format == number_format(figure.kind, view.currency), key
    for key, _, stacks in PATH:
        figure = view.figure(key)
        row = cells[figure.label].row
        assert [ws.cell(row=row, column=col).value for col in stacks] == [figure.value] * len(stacks), key
    for section in view.sections:
        assert cells[section.name].value == pytest.approx(section.share)
        note = ws.cell(row=cells[section.name].row, column=4).value
        assert note == (None if section.status == "complete" else section.status), section.name


# Review and flags ------------------------------------------------------------------------------------

def test_each_finding_has_a_review_row_linking_to_its_cell(flawed):
    _, out, result = flawed
    wb = openpyxl.load_workbook(out)
    ws = wb["Review"]
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == len(result.findings) >= 4
    assert ws.auto_filter.ref == f"A1:F{len(rows) + 1}"
    for row, finding in zip(rows, result.findings):
        assert [c.value for c in row[:6]] == [finding.severity, finding.section, finding.sheet, finding.cell,
                                             finding.message, finding.hint or None]
        location = row[3].hyperlink.location
        assert location == f"'{finding.sheet}'!{finding.cell}"
        sheet, cell = location.split("!")
        assert wb[sheet.strip("'")][cell].comment is not None
    assert [r[0].value for r in rows] == sorted((r[0].value for r in rows), key=lambda s: s != "error")


def test_each_flagged_cell_is_filled_and_carries_the_message(flawed):
    _, out, result = flawed
    wb = openpyxl.load_workbook(out)
    for finding in result.findings:
        cell = wb[finding.sheet][finding.cell]
        assert finding.message in cell.comment.text
        assert cell.comment.author == PRODUCER
    score = result.plan.places["relationship_score"]
    assert flag_of(wb[score.sheet][score.cell]) == BRAND.error_fill   # an error and a warning: the error wins
    competition = next(f for f in result.findings if f.code == "section-missing")
    assert flag_of(wb[competition.sheet][competition.cell]) == BRAND.warning_fill
    assert competition.message in wb["Competition"]["A1"].comment.text   # beside the section's heading
    assert flag_of(wb["Competition"]["A1"]) is None
    assert flag_of(wb["Account"]["C4"]) == "FFF9E5" == BRAND.input_fill   # not flagged: the rep's own fill


def test_a_finding_with_no_cell_is_noted_on_its_sections_heading(tmp_path):
    def drop_risks_table(wb):   # the table and its header row: a list read from its headers would have a cell
        del wb["Risks"].tables["Risks"]
        for cell in wb["Risks"][5]:
            cell.value = None
    source = write_plan(harbor_data(), tmp_path / "in.xlsx", drop_risks_table)
    result = render(source, tmp_path / "out.xlsx")
    missing = next(f for f in result.findings if f.code == "table-missing")
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert missing.message in wb["Risks"]["A1"].comment.text
    row = next(r for r in wb["Review"].iter_rows(min_row=2) if r[4].value == missing.message)
    assert row[3].value == checked.SECTION_LINK
    assert row[3].hyperlink.location == "'Risks'!A1"


def test_building_the_checked_workbook_again_gives_the_same_file(flawed, tmp_path):
    _, out, result = flawed
    again = tmp_path / "again.xlsx"
    assert render(out, again).findings == result.findings
    assert openpyxl.load_workbook(again).sheetnames == openpyxl.load_workbook(out).sheetnames
    assert flags_record(again) == flags_record(out)
    assert again.read_bytes() == out.read_bytes()


def test_a_fixed_cell_gets_its_own_fill_and_note_back(tmp_path):
    """The rep's own note and fill survive a flag, and come back once the cell is fixed."""
    data = flawed_data()

    def rep_note(wb):
        wb["Account"]["C14"].comment = openpyxl.comments.Comment("Agreed with Dana", "Rep")
    source = write_plan(data, tmp_path / "in.xlsx", rep_note)
    render(source, tmp_path / "checked.xlsx")
    flagged = openpyxl.load_workbook(tmp_path / "checked.xlsx")["Account"]["C14"]
    assert "Your note: Agreed with Dana" in flagged.comment.text
    fixed = Path(shutil.copy(tmp_path / "checked.xlsx", tmp_path / "checked-fixed.xlsx"))
    wb = openpyxl.load_workbook(fixed)
    wb["Account"]["C14"] = 4
    wb.save(fixed)
    render(fixed, tmp_path / "rebuilt.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "rebuilt.xlsx")["Account"]["C14"]
    assert (cell.comment.text, cell.comment.author) == ("Agreed with Dana", "Rep")
    assert flag_of(cell) == BRAND.input_fill


def test_a_sheet_of_the_reps_named_summary_is_kept(tmp_path):
    def own_summary(wb):
        wb.create_sheet("Summary")["A1"] = "my own notes"
    source = write_plan(harbor_data(), tmp_path / "in.xlsx", own_summary)
    render(source, tmp_path / "out.xlsx")
    render(tmp_path / "out.xlsx", tmp_path / "again.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "again.xlsx")
    assert wb["Summary"]["A1"].value == "my own notes"
    assert wb.sheetnames.count("Summary (2)") == 1 and wb.sheetnames.index("Summary (2)") == 1


# Drop-downs -------------------------------------------------------------------------------------------

def choice_cells(result) -> list[tuple[str, str, tuple]]:
    """Every choice cell of the plan: each choice field, and each choice column from the first data row down."""
    cells = [(p.sheet, p.cell, schema.FIELDS[name].choices) for name, p in result.plan.places.items()
             if schema.FIELDS[name].choices]
    for table, where in result.plan.tables.items():
        for column in schema.LISTS[table].columns:
            if column.choices:
                cells += [(where.sheet, f"{where.columns[column.attr]}{r}", column.choices)
                          for r in range(where.header_row + 1, where.header_row + 201)]
    return cells


def test_lost_drop_downs_are_put_back_on_every_choice_cell(tmp_path):
    """Excel keeps list drop-downs that point at another sheet in an extension openpyxl drops."""
    def drop_validations(wb):
        for ws in wb.worksheets:
            ws.data_validations.dataValidation = []
    source = write_plan(harbor_data(), tmp_path / "in.xlsx", drop_validations)
    result = render(source, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    cells = choice_cells(result)
    assert len(cells) > 3000
    for sheet, cell, choices in cells:
        lists = [dv for dv in wb[sheet].data_validations.dataValidation if dv.type == "list" and cell in dv.sqref]
        assert len(lists) == 1, f"{sheet}!{cell}"
        assert lists[0].formula1 == '"' + ",".join(choices) + '"'


def test_drop_downs_the_workbook_has_are_not_doubled(flawed):
    source, out, result = flawed
    before, after = openpyxl.load_workbook(source), openpyxl.load_workbook(out)
    for ws in before.worksheets:
        assert [(dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation] == \
               [(dv.formula1, str(dv.sqref)) for dv in after[ws.title].data_validations.dataValidation]
    for sheet, cell, _ in choice_cells(result):
        assert any(dv.type == "list" and cell in dv.sqref for dv in after[sheet].data_validations.dataValidation)


# Plans built in code, properties ---------------------------------------------------------------------

def test_a_plan_built_in_code_is_written_into_the_template(harbor, tmp_path):
    result = dataclasses.replace(harbor, findings=[])
    render_checked(result, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert wb.sheetnames[:3] == ["Instructions", "Summary", "Review"]
    assert figure_cells(wb["Summary"])["Secured"].value == harbor.figures.secured
    assert wb["Review"]["A2"].value.startswith("No findings")
    assert read_plan(tmp_path / "out.xlsx").lists == harbor.plan.lists


def test_a_plan_built_in_code_is_typed_where_the_template_puts_it_and_flagged(make_plan, tmp_path):
    """No workbook, no temporary file: the kit's template is filled in from the view, in memory."""
    data = overdue_data()
    data["lists"]["Competitors"] = []
    data["fields"]["relationship_score"] = 9
    result = assess(make_plan(data), AS_OF)
    assert checked.source_of(result.plan) is None and result.findings
    out = tmp_path / "out.xlsx"
    render_checked(result, out)
    wb = openpyxl.load_workbook(out)
    for name, value in result.plan.fields.items():
        (sheet, ref), = wb.defined_names[name].destinations
        typed = wb[sheet][ref.replace("$", "")].value
        assert (typed.date() if hasattr(typed, "date") else typed) == value, name
    again = read_plan(out)
    assert again.lists == result.plan.lists
    for table, rows in again.lists.items():
        header = again.tables[table].header_row
        assert [row.excel_row for row in rows] == list(range(header + 1, header + 1 + len(rows))), table
    blank = next(o for o in again.opportunities if o.probability is None)   # the view's effective one is not typed
    place = blank.place("probability")
    assert wb[place.sheet][place.cell].value is None
    review = list(wb["Review"].iter_rows(min_row=2, values_only=True))
    assert [row[4] for row in review] == [f.message for f in result.findings]
    for finding in result.findings:                   # no cell of their own: noted on the section's heading
        heading = wb[schema.SECTION_BY_NAME[finding.section].sheet]["A1"]
        assert finding.message in heading.comment.text
    record = flags_record(out)
    assert {(sheet, cell) for kind, sheet, cell, *_ in record[1:] if kind == "cell"} == \
           {(schema.SECTION_BY_NAME[f.section].sheet, "A1") for f in result.findings}


def test_two_kits_write_their_own_colours_in_one_process(make_plan, tmp_path):
    source = write_plan(flawed_data(), tmp_path / "in.xlsx")
    result = check(source, AS_OF)
    kit = default_kit()
    other = dataclasses.replace(kit, brand=dataclasses.replace(kit.brand, error_fill="FF0000", accent="00FF00",
                                                               input_fill="EEEEEE"))
    outs = {"first": (kit, tmp_path / "first.xlsx"), "other": (other, tmp_path / "other.xlsx"),
            "again": (kit, tmp_path / "again.xlsx")}
    for brand_kit, out in outs.values():
        render_checked(result, out, brand_kit)
    score = result.plan.places["relationship_score"]
    for brand_kit, out in outs.values():
        wb = openpyxl.load_workbook(out)
        brand = brand_kit.brand
        assert flag_of(wb[score.sheet][score.cell]) == brand.error_fill
        assert wb["Summary"].sheet_properties.tabColor.rgb[-6:] == brand.accent
        first_error = next(r for r in wb["Review"].iter_rows(min_row=2) if r[0].value == findings.ERROR)
        assert flag_of(first_error[0]) == brand.error_fill
        assert first_error[3].font.color.rgb[-6:] == brand.accent
    assert outs["again"][1].read_bytes() == outs["first"][1].read_bytes()
    in_code = assess(make_plan(harbor_data()), AS_OF)   # the template itself is drawn in the kit's brand
    for brand_kit, name in ((other, "code-other.xlsx"), (kit, "code-first.xlsx")):
        render_checked(in_code, tmp_path / name, brand_kit)
        assert flag_of(openpyxl.load_workbook(tmp_path / name)["Account"]["C6"]) == brand_kit.brand.input_fill


def test_properties_are_dated_from_as_of_and_mark_the_file_as_ours(flawed):
    _, out, _ = flawed
    props = openpyxl.load_workbook(out).properties
    assert props.created.date() == props.modified.date() == AS_OF
    assert props.lastModifiedBy == PRODUCER


def test_properties_describe_the_plan(flawed):
    """File › Properties reads as the plan: account, period, owner, and tags a search finds it by."""
    _, out, result = flawed
    fields = result.plan.fields
    props = core_properties(out)
    assert props["title"] == fields["account_name"]
    assert props["subject"] == f"Account plan · {fields['plan_period']}"
    assert props["creator"] == fields["account_owner"]
    keywords = props["keywords"].split("; ")
    assert fields["industry"] in keywords and fields["region"] in keywords
    assert (result.figures.position in keywords) if result.figures.position else len(keywords) == 2
    assert props["lastModifiedBy"] == PRODUCER
    assert "lastPrinted" not in props                     # a new file, never printed
    assert "openpyxl" not in doc_props(out).lower()


def test_properties_of_a_plan_with_no_owner_period_or_tags(make_plan, tmp_path):
    data = {"fields": {"account_name": "Nameless Co"}, "lists": {}}
    render_checked(assess(make_plan(data), AS_OF), tmp_path / "out.xlsx")
    props = core_properties(tmp_path / "out.xlsx")
    assert (props["title"], props["subject"], props["creator"]) == ("Nameless Co", "Account plan", PRODUCER)
    assert "keywords" not in props and "lastPrinted" not in props


def older_workbook(wb):
    """What earlier templates and other tools leave in a rep's workbook: section links as external
    `#'Sheet'!A1` addresses, empty strings in cells, the rep's own properties, a print date."""
    ws = wb["Instructions"]
    for row in ws.iter_rows():
        for cell in row:
            if cell.hyperlink is not None:
                cell.hyperlink = f"#{cell.hyperlink.location}"
    wb["Account"]["E4"].value = ""
    wb["Account"]["E4"].data_type = "s"
    wb.properties.creator, wb.properties.keywords = "Someone Else", "old; tags"
    wb.properties.lastPrinted = dt.datetime(2025, 5, 1)


def test_a_checked_workbook_has_no_empty_text_cell_and_no_external_link(flawed, sparse, tmp_path):
    """Every sheet, every run: an empty text is an empty cell, and every link is a place in the workbook."""
    _, out, _ = flawed
    render_checked(sparse, tmp_path / "sparse.xlsx")
    source = write_plan(flawed_data(), tmp_path / "older.xlsx", older_workbook)
    assert len(external_relationships(source)) == len(schema.SECTIONS) and empty_text_cells(source)
    render(source, tmp_path / "older-checked.xlsx")
    for path in (out, tmp_path / "sparse.xlsx", tmp_path / "older-checked.xlsx"):
        assert empty_text_cells(path) == [], path.name
        assert external_relationships(path) == [], path.name
        for sheet in ("Instructions", "Summary", "Review"):
            assert all("location" in link and "id" not in link for link in hyperlinks(path, sheet)), (path, sheet)
    older = tmp_path / "older-checked.xlsx"
    assert [link["location"] for link in hyperlinks(older, "Instructions")] == \
           [f"'{s.sheet}'!A1" for s in schema.SECTIONS]
    props = core_properties(older)
    assert props["creator"] == "Dana Whitfield" and "old" not in props["keywords"] and "lastPrinted" not in props


def test_a_finding_with_no_hint_leaves_its_hint_cell_empty(flawed, tmp_path):
    _, _, result = flawed
    bare = findings.make("choice-invalid", "Account", result.plan.places["account_tier"], "Tier is odd.")
    render_checked(dataclasses.replace(result, findings=[bare]), tmp_path / "out.xlsx")
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")["Review"]["F2"].value is None
    assert empty_text_cells(tmp_path / "out.xlsx") == []


# LibreOffice -------------------------------------------------------------------------------------------

@needs_libreoffice
def test_libreoffice_opens_the_checked_workbook_and_formulas_keep_their_values(tmp_path, soffice):
    """A rep's formula (saved with its value, as Excel and LibreOffice do) is still read after the check."""
    typed = write_plan(flawed_data(), tmp_path / "typed.xlsx", set_cell("Path to number", "E10", "=12*25000"))
    saved, = soffice(typed, "xlsx", tmp_path / "saved")   # computes and stores the value
    checked = tmp_path / "checked.xlsx"
    result = render(saved, checked)
    assert result.plan.opportunities[1].value == 300000, result.findings
    assert openpyxl.load_workbook(checked)["Path to number"]["E10"].value == "=12*25000"
    assert read_plan(checked).opportunities[1].value == 300000
    assert check(checked, AS_OF).findings == result.findings
    pdf, = soffice(checked, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 10_000


def test_a_sparse_plan_shows_dashes_and_notes_each_missing_sections_heading(sparse, tmp_path):
    render_checked(sparse, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "out.xlsx")
    cells = figure_cells(wb["Summary"])
    assert cells["Position"].value == fmt.NONE
    assert wb["Summary"].cell(row=cells["Gap to target"].row, column=4).value == fmt.NONE
    missing = [f for f in sparse.findings if f.code == "section-missing"]
    assert {f.section for f in missing} == set(sparse.figures.completeness.missing) and missing
    for finding in missing:
        sheet = schema.SECTION_BY_NAME[finding.section].sheet
        assert finding.message in wb[sheet]["A1"].comment.text
    links = [row[3].hyperlink.location for row in wb["Review"].iter_rows(min_row=2) if row[3].hyperlink]
    assert len(links) == len(sparse.findings)
