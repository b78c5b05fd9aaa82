"""The Summary sheet: the view's figures as numbers with their formats, each section's completeness linked to
its sheet, and the path to the number as a native stacked column chart over the cells holding it."""
from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink

from ... import fmt
from ...plan.template import INSTRUCTIONS_SHEET
from ...view import PlanView
from .styles import Styles, free_title, number_format, one_page_wide, text
from ...records import record

SUMMARY_SHEET = "Summary"
NOTE = "Computed by accountplan from this workbook; replaced on every build."
PATH_TITLE = "Path to the number"
SECURED_AND_OPEN, TARGET = 3, 4            # the columns of the two stacks
PATH_COLUMNS = {SECURED_AND_OPEN: "Secured and open", TARGET: "Target"}
PATH = (("secured", "secured", (SECURED_AND_OPEN, TARGET)), ("forecast", "forecast", (SECURED_AND_OPEN,)),
        ("pipeline", "pipeline", (SECURED_AND_OPEN,)), ("prospect", "prospect", (SECURED_AND_OPEN,)),
        ("gap_to_target", "gap", (TARGET,)))
"""Each row of the path: its figure, its brand colour in the chart, and the stacks it is part of."""
TOP = ("as_of", "position", "annual_target", "prior_year_actual")
GROUPS = (("Figures", ("weighted_open", "uncovered_gap", "pipeline_coverage", "growth_vs_prior", "whitespace_open",
                       "readiness")),
          ("Actions", ("actions_open", "actions_done", "actions_blocked", "actions_overdue", "actions_due_soon")))
COMPLETENESS = "Completeness"
@record
class Line:
    """One figure on the Summary: a label, the value (None shows as a dash) and its number format."""

    label: str
    value: Any
    number_format: str = "General"
    link: str = ""           # a sheet to jump to
    note: str = ""


def summary_sheet(workbook: Workbook, view: PlanView, look: Styles):
    """Added after the Instructions (first when there are none); returns the sheet."""
    index = workbook.sheetnames.index(INSTRUCTIONS_SHEET) + 1 if INSTRUCTIONS_SHEET in workbook.sheetnames else 0
    ws = workbook.create_sheet(free_title(workbook, SUMMARY_SHEET), index)
    ws.sheet_properties.tabColor = look.brand.accent
    ws.sheet_view.showGridLines = False
    for letter, width in zip("ABCDE", (3, 30, 18, 18, 12)):
        ws.column_dimensions[letter].width = width
    text(ws["A1"], SUMMARY_SHEET).font = look.title_font
    period = view.facts.get("plan_period")
    account = "" if view.account_missing else view.account
    text(ws["A2"], " · ".join(fmt.text(v) for v in (account, period.value if period else None)))
    text(ws["A3"], NOTE).font = look.muted_font
    row = _write_lines(ws, 5, "", [_line(view, key) for key in TOP], look)
    path_row = row + 1
    row = _write_path(ws, path_row, view, look)
    for heading, keys in GROUPS:
        row = _write_lines(ws, row + 1, heading, [_line(view, key) for key in keys], look)
    _write_lines(ws, row + 1, COMPLETENESS, [_line(view, "completeness"), *_section_lines(workbook, view)], look)
    _path_chart(ws, path_row, view, look)
    one_page_wide(ws)
    return ws


def _line(view: PlanView, key: str) -> Line:
    figure = view.figure(key)
    return Line(figure.label, _shown(figure), number_format(figure.kind, view.currency, view.cents))


def _shown(figure):
    """The figure's value, or its text where no number format can say what the view says (growth `n/m`)."""
    return figure.text if figure.text == fmt.NOT_MEANINGFUL else figure.value


def _section_lines(workbook: Workbook, view: PlanView) -> list[Line]:
    share = number_format("share", view.currency)
    return [Line(s.name, s.share, share, s.sheet if s.sheet in workbook.sheetnames else "",
                 "" if s.status == "complete" else s.status) for s in view.sections]


def _write_lines(ws, row: int, heading: str, lines: list[Line], look: Styles) -> int:
    """A heading then one figure a row (label in B, value in C, note in D); returns the next free row."""
    if heading:
        text(ws.cell(row=row, column=2), heading).font = look.heading_font
        row += 1
    for line in lines:
        label = text(ws.cell(row=row, column=2), line.label)
        if line.link:
            label.hyperlink = Hyperlink(ref=label.coordinate, location=f"{quote_sheetname(line.link)}!A1")
            label.font = look.link_font
        _figure(ws.cell(row=row, column=3), line.value, line.number_format)
        if line.note:
            text(ws.cell(row=row, column=4), line.note).font = look.note_font
        row += 1
    return row


def _write_path(ws, row: int, view: PlanView, look: Styles) -> int:
    """Two stacked columns: secured plus each open stage, and secured plus the gap up to the target."""
    for col, title in ((2, PATH_TITLE), *PATH_COLUMNS.items()):
        cell = text(ws.cell(row=row, column=col), title)
        cell.font, cell.fill, cell.alignment = look.header_font, look.header_fill, Alignment(horizontal="center")
    for r, (key, _, stacks) in enumerate(PATH, start=row + 1):
        figure = view.figure(key)
        text(ws.cell(row=r, column=2), figure.label)
        for col in stacks:
            _figure(ws.cell(row=r, column=col), figure.value, number_format(figure.kind, view.currency, view.cents))
    return row + len(PATH) + 1


def _path_chart(ws, header_row: int, view: PlanView, look: Styles) -> None:
    """A native stacked column chart whose series are the path cells, so it follows edits in Excel."""
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = PATH_TITLE
    chart.height, chart.width = 9, 14
    top = max(sum(view.figure(key).value or 0 for key, _, stacks in PATH if column in stacks) for column in PATH_COLUMNS)
    chart.y_axis.numFmt = view.money_format_short(top or None, axis=True)    # scaled, one unit: $0.0M ... $2.5M
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = chart.y_axis.delete = False
    for offset, (_, colour_of, _) in enumerate(PATH, start=1):
        colour = getattr(look.brand, colour_of)
        data = Reference(ws, min_col=2, max_col=4, min_row=header_row + offset)
        chart.add_data(data, from_rows=True, titles_from_data=True)
        series = chart.series[-1]
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.set_categories(Reference(ws, min_col=3, max_col=4, min_row=header_row))
    ws.add_chart(chart, f"F{header_row}")


def _figure(cell, value, number_format: str):
    """A figure as a number (or date) with its format; a figure with no value reads as a dash."""
    cell.alignment = Alignment(horizontal="right")
    if value is None or isinstance(value, str):
        return text(cell, fmt.NONE if value is None else value)
    cell.value = value
    cell.number_format = number_format
    return cell
