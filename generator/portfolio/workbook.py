"""The portfolio workbook: every plan as a row of a real Excel table, every open action, every finding, the
totals per currency and a native chart of the uncovered gap by account.

Sheets, in order:

- **Plans**: the table `Plans`, one row per plan, with a filter on every column and a totals row (sums of
  money when every plan is in one currency; a note pointing at Totals when they are not, never a sum across
  currencies). Money in each row's own currency format, shares as percentages, coverage as `1.10×`. With
  `--since`, four columns after the others: what moved since the last review (the diff's summary line), the
  secured and uncovered-gap changes as signed amounts (to filter and sort by), the earlier version compared.
- **Totals**: one column per currency: the plans' figures added up.
- **Uncovered gap**: per currency, the accounts by uncovered gap, largest first, and a native bar chart of them.
- **Actions**: the table `OpenActions`, every open action across plans, overdue first.
- **Findings**: the table `Findings`, every finding with its file and cell.
- **Not read** (only when a file could not be used): the table `NotRead`, each file with its reason.
- **Earlier not read** (with `--since`, only when an earlier version could not be used): the table
  `EarlierNotRead`, each file of the last review's folder with its reason.

Sheet names, titles, notes and chart titles are the kit's (`kit.wording.portfolio`); the tables' names and
column headers are not: other tools read the workbook by them.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from .. import PRODUCER, fmt
from ..kit import Kit, default_kit
from ..ooxml import workbook_bytes, write_stamped
from ..wording import PORTFOLIO
from ..render.checked.styles import text as _text
from . import Portfolio

TABLE_STYLE = "TableStyleMedium2"
FIRST_ROW = 4                     # the tables' header row: a title and a note above
SHARE, TIMES, COUNT, DATE = "0%", '0.00"×"', "0", "d mmm yyyy"
CHART_ACCOUNTS = 25               # accounts a chart shows at most (the table beside it has them all)
NOT_IN_SHEET_NAMES = str.maketrans("", "", ":\\/?*[]")   # characters Excel refuses in a sheet's name


def render(portfolio: Portfolio, path: Path, kit: Kit | None = None) -> None:
    """Write the portfolio workbook to `path` (.xlsx)."""
    kit = kit or default_kit()
    words = kit.wording.portfolio
    wb = Workbook()
    look = _Look(kit)

    def sheet(key: str):
        return wb.create_sheet(sheet_name(words, key))

    plans_sheet(wb.active, portfolio, kit, look)
    totals_sheet(sheet("sheet_totals"), portfolio, kit, look)
    gap_sheet(sheet("sheet_gap"), portfolio, look, words)
    actions_sheet(sheet("sheet_actions"), portfolio, look, words)
    findings_sheet(sheet("sheet_findings"), portfolio, look, words)
    if portfolio.refused:
        refused_sheet(sheet("sheet_not_read"), portfolio, look, words)
    if portfolio.since is not None and portfolio.since.refused:
        earlier_refused_sheet(sheet("sheet_earlier_not_read"), portfolio, look, words)
    wb.calculation.fullCalcOnLoad = True           # the totals row's formulas are worked out on opening
    when = dt.datetime.combine(portfolio.as_of or dt.date.today(), dt.time())
    props = wb.properties
    props.title, props.subject = words["workbook_title"], words["workbook_subject"].format(count=len(portfolio.plans))
    props.creator, props.lastModifiedBy = PRODUCER, PRODUCER
    props.created = props.modified = when
    write_stamped(workbook_bytes(wb), Path(path), when.date())


def sheet_name(words: dict[str, str], key: str) -> str:
    """A kit's name for a sheet as Excel takes it: without the characters it refuses, at most 31 long."""
    name = words[key].translate(NOT_IN_SHEET_NAMES).strip().strip("'")[:31].strip()
    return name or PORTFOLIO[key]


class _Look:
    def __init__(self, kit: Kit):
        brand = kit.brand
        self.brand = brand
        self.title = Font(name=brand.heading_font, size=16, bold=True, color=brand.primary)
        self.muted = Font(name=brand.font, size=9, italic=True, color=brand.muted)
        self.heading = Font(name=brand.heading_font, size=12, bold=True, color=brand.primary)
        self.header = Font(name=brand.font, bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor=brand.primary)
        self.bad = Font(name=brand.font, color=brand.bad, bold=True)
        self.bold = Font(name=brand.font, bold=True)


def _number(cell, value, number_format: str):
    if value is None:
        return cell
    cell.value = value
    cell.number_format = number_format
    return cell


def _heading(ws, title: str, note: str, look: _Look) -> None:
    """The sheet's title and a note under it; printed landscape, one page wide."""
    _text(ws["A1"], title).font = look.title
    _text(ws["A2"], note).font = look.muted
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _table(ws, name: str, headers: list[str], rows: list[list], formats: list, widths: list[float], look: _Look,
           totals: dict[int, str] | None = None, total_label: str = "Total") -> Table:
    """An Excel table of `rows` under `headers` at FIRST_ROW, with a filter, banded rows and, given `totals`
    (column index -> SUBTOTAL function: `sum`, `average`, or `none`), a totals row. `formats[i]` is a
    column's number format, or a function of the row giving it; a cell value None stays empty."""
    top = FIRST_ROW
    right = {i for i, f in enumerate(formats) if f is not None}
    for c, header in enumerate(headers, 1):
        cell = _text(ws.cell(top, c), header)      # drawn as the table style draws it, for programs without it
        cell.font, cell.fill = look.header, look.header_fill
        cell.alignment = Alignment(horizontal="right" if c - 1 in right else "left")
    for r, values in enumerate(rows, top + 1):
        for c, value in enumerate(values, 1):
            cell = ws.cell(r, c)
            number_format = formats[c - 1](r - top - 1) if callable(formats[c - 1]) else formats[c - 1]
            if isinstance(value, str) or number_format is None:
                _text(cell, value if not isinstance(value, (int, float)) else str(value))
            else:
                _number(cell, value, number_format)
    if not rows:                                      # a table has at least one row: an empty one
        rows = [[None] * len(headers)]
    last = top + len(rows)
    end = get_column_letter(len(headers))
    columns = []
    for c, header in enumerate(headers, 1):
        column = TableColumn(id=c, name=header)
        if totals is not None:
            function = totals.get(c - 1)
            if c == 1:
                column.totalsRowLabel = total_label
            elif function and function != "none":
                column.totalsRowFunction = function
        columns.append(column)
    table = Table(displayName=name, ref=f"A{top}:{end}{last + (1 if totals is not None else 0)}",
                  tableColumns=columns, tableStyleInfo=TableStyleInfo(name=TABLE_STYLE, showRowStripes=True))
    table.autoFilter = AutoFilter(ref=f"A{top}:{end}{last}")
    if totals is not None:
        table.totalsRowCount = 1
        total_row = last + 1
        _text(ws.cell(total_row, 1), total_label).font = look.bold
        for c, header in enumerate(headers, 1):
            function = totals.get(c - 1)
            if c == 1 or not function or function == "none":
                continue
            code = {"sum": 109, "average": 101}[function]
            cell = ws.cell(total_row, c)
            cell.value = f"=SUBTOTAL({code},{name}[{_escape(header)}])"
            cell.font = look.bold
            fmt_ = formats[c - 1]
            if not callable(fmt_) and fmt_:
                cell.number_format = fmt_
            elif callable(fmt_) and rows and rows[0][c - 1] is not None:
                cell.number_format = fmt_(0)
    ws.add_table(table)
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(top + 1, 2)
    ws.print_title_rows = f"{top}:{top}"            # the header on every printed page
    return table


def _escape(header: str) -> str:
    """A column name as a structured reference writes it: `'`, `#`, `[` and `]` escaped with `'`."""
    return "".join("'" + ch if ch in "'#[]" else ch for ch in header)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# Plans --------------------------------------------------------------------------------------------

PLAN_COLUMNS = ("Account", "Owner", "Currency", "Position", "Target", "Secured", "Weighted open", "Gap to target",
                "Uncovered gap", "Coverage", "Readiness", "Complete", "Errors", "Warnings", "Open actions",
                "Overdue actions", "Blocked actions", "Exposed stages", "Decision maker", "File")
MONEY_COLUMNS = {"Target": "annual_target", "Secured": "secured", "Weighted open": "weighted_open",
                 "Gap to target": "gap_to_target", "Uncovered gap": "uncovered_gap"}
PLAN_WIDTHS = (34, 18, 9, 11, 14, 14, 15, 14, 15, 10, 10, 10, 8, 10, 13, 16, 16, 26, 15, 40)


def plan_rows(portfolio: Portfolio) -> list[list]:
    """The Plans table's rows, in PLAN_COLUMNS order: each plan's own figures."""
    rows = []
    for p in portfolio.plans:
        f = p.figures
        rows.append([p.name, p.owner or None, p.currency, f.position or None,
                     *(getattr(f, key) for key in MONEY_COLUMNS.values()),
                     f.pipeline_coverage, f.readiness, f.completeness.overall, p.errors, p.warnings,
                     f.actions.open, f.actions.overdue, f.actions.blocked, ", ".join(f.exposed_stages) or None,
                     "Yes" if p.decision_maker else "No", p.file])
    return rows


SINCE_COLUMNS = ("moved_column", "secured_delta_column", "gap_delta_column", "earlier_column")   # words' keys
SINCE_WIDTHS = (70, 16, 19, 40)


def since_row(p, words: dict[str, str]) -> list:
    """A plan's `--since` cells: what moved (the diff's summary, or why there is none), the secured and
    uncovered-gap changes (after − before, as the diff has them), the earlier version compared with."""
    since = p.since
    if since is None:
        return [None] * len(SINCE_COLUMNS)
    return [since.text(words), since.change("secured"), since.change("uncovered_gap"),
            since.earlier_text(words) or None]


def plans_note(portfolio: Portfolio, words: dict[str, str]) -> str:
    """The note over the Plans table: how many, as of when, and what to know about its money and moves."""
    when = words["plans_note_as_of"].format(date=fmt.date(portfolio.as_of)) if portfolio.as_of else ""
    note = words["plans_note"].format(count=len(portfolio.plans), when=when)
    if len(portfolio.totals) > 1:
        note += words["plans_note_currencies"]
    if portfolio.since is not None:
        note += words["plans_note_since"].format(folder=portfolio.since.folder)
    return note


def plans_sheet(ws, portfolio: Portfolio, kit: Kit, look: _Look) -> None:
    own = kit.wording.portfolio
    ws.title = sheet_name(own, "sheet_plans")
    one_currency = len(portfolio.totals) <= 1
    currencies = [p.currency for p in portfolio.plans]
    _heading(ws, own["workbook_title"], plans_note(portfolio, own), look)

    def money(i: int) -> str:
        return fmt.money_format(currencies[i]) if i < len(currencies) else fmt.money_format("USD")

    formats = [None, None, None, None, *([money] * len(MONEY_COLUMNS)), TIMES, SHARE, SHARE, COUNT, COUNT, COUNT,
               COUNT, COUNT, None, None, None]
    totals = {i: "sum" for i in range(12, 17)}
    totals[11] = "average"
    if one_currency:
        totals.update({i: "sum" for i in range(4, 9)})
    label = own["plans_total" if one_currency else "plans_total_currencies"]
    rows = plan_rows(portfolio)
    headers, widths = list(PLAN_COLUMNS), list(PLAN_WIDTHS)
    if portfolio.since is not None:               # after the others: their names and places stay
        words = kit.wording.diff
        headers += [words[key] for key in SINCE_COLUMNS]
        widths += list(SINCE_WIDTHS)

        def signed(i: int) -> str:
            money_format = money(i)
            return f"+{money_format};-{money_format};{money_format}"
        formats += [None, signed, signed, None]
        rows = [row + since_row(p, words) for row, p in zip(rows, portfolio.plans)]
    _table(ws, "Plans", headers, rows, formats, widths, look, totals, label)
    for r, row in enumerate(rows, FIRST_ROW + 1):
        for c, header in enumerate(PLAN_COLUMNS, 1):
            value = row[c - 1]
            if (header == "Errors" and value) or (header == "Overdue actions" and value) or \
                    (header == "Decision maker" and value == "No") or (header == "Exposed stages" and value):
                ws.cell(r, c).font = look.bad


# Totals -------------------------------------------------------------------------------------------

TOTAL_LINES = (("totals_plans", "plans", COUNT), ("totals_with_target", "with_target", COUNT),   # [wording.portfolio]
               ("annual_target", "annual_target", "money"), ("secured", "secured", "money"),
               ("forecast", "forecast", "money"), ("pipeline", "pipeline", "money"),
               ("prospect", "prospect", "money"), ("weighted_open", "weighted_open", "money"),
               ("gap_to_target", "gap_to_target", "money"), ("uncovered_gap", "uncovered_gap", "money"),
               ("surplus", "surplus", "money"), ("whitespace_open", "whitespace_open", "money"),
               ("pipeline_coverage", "pipeline_coverage", TIMES))


def total_label(kit: Kit, key: str) -> str:
    """A Totals line's label: a figure's, or the portfolio's own words for the counts."""
    return kit.wording.portfolio[key] if key.startswith("totals_") else kit.wording.figures.get(key, key)


ACROSS_LINES = ("totals_files_read", "totals_not_usable", "totals_plans_with_errors", "totals_errors",
                "totals_warnings", "totals_open_actions", "totals_overdue_actions", "totals_blocked_actions")


def totals_sheet(ws, portfolio: Portfolio, kit: Kit, look: _Look) -> None:
    words = kit.wording.portfolio
    _heading(ws, words["totals_title"], words["totals_note"], look)
    row = FIRST_ROW
    header = _text(ws.cell(row, 1), words["totals_header"])
    header.font, header.fill = look.header, look.header_fill
    for c, currency in enumerate(portfolio.totals, 2):
        cell = _text(ws.cell(row, c), currency)
        cell.font, cell.fill, cell.alignment = look.header, look.header_fill, Alignment(horizontal="right")
    for r, (label, attr, kind) in enumerate(TOTAL_LINES, row + 1):
        _text(ws.cell(r, 1), total_label(kit, label))
        for c, (currency, total) in enumerate(portfolio.totals.items(), 2):
            number_format = fmt.money_format(currency) if kind == "money" else kind
            value = getattr(total, attr)
            if value is None:
                _text(ws.cell(r, c), fmt.NONE).alignment = Alignment(horizontal="right")
            else:
                _number(ws.cell(r, c), value, number_format)
    r = row + len(TOTAL_LINES) + 2
    _text(ws.cell(r, 1), words["totals_across"]).font = look.heading
    counts = portfolio.action_counts()
    values = (len(portfolio.plans), len(portfolio.refused), portfolio.plans_with_errors, portfolio.errors,
              portfolio.warnings, counts["open"], counts["overdue"], counts["blocked"])
    for r, (key, value) in enumerate(zip(ACROSS_LINES, values), r + 1):
        _text(ws.cell(r, 1), words[key])
        _number(ws.cell(r, 2), value, COUNT)
    ws.column_dimensions["A"].width = 26
    for c in range(2, 2 + max(1, len(portfolio.totals))):
        ws.column_dimensions[get_column_letter(c)].width = 16


# The uncovered gap, by account ---------------------------------------------------------------------

def gap_sheet(ws, portfolio: Portfolio, look: _Look, words: dict[str, str]) -> None:
    """Per currency, the plans with a target by uncovered gap, largest first, and a bar chart of the first
    CHART_ACCOUNTS over those cells (a native chart: it follows edits)."""
    _heading(ws, words["gap_title"], words["gap_note"], look)
    row = FIRST_ROW
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 34, 22
    for currency in portfolio.totals:
        plans = sorted((p for p in portfolio.in_currency(currency) if p.figures.uncovered_gap is not None),
                       key=lambda p: (-p.figures.uncovered_gap, p.name.casefold()))
        _text(ws.cell(row, 1), words["gap_heading"].format(currency=currency)).font = look.heading
        header = row + 1
        for c, title in enumerate((words["gap_header_account"], words["gap_header_gap"].format(currency=currency)), 1):
            cell = _text(ws.cell(header, c), title)
            cell.font, cell.fill = look.header, look.header_fill
        money = fmt.money_format(currency)
        for r, p in enumerate(plans, header + 1):
            _text(ws.cell(r, 1), p.name)
            _number(ws.cell(r, 2), p.figures.uncovered_gap, money)
        if not plans:
            _text(ws.cell(header + 1, 1), words["gap_no_target"]).font = look.muted
        shown = min(len(plans), CHART_ACCOUNTS)
        if shown:
            _gap_chart(ws, header, shown, len(plans), currency, look, words)
        height_rows = max(len(plans) + 1, int(_chart_height(shown) / 0.5) + 1 if shown else 0)
        row = header + height_rows + 2


def _chart_height(bars: int) -> float:
    """cm: room for each bar and its label."""
    return max(6.0, 1.6 + 0.65 * bars)


def _gap_chart(ws, header: int, shown: int, count: int, currency: str, look: _Look,
               words: dict[str, str]) -> None:
    chart = BarChart()
    chart.type, chart.style = "bar", 10
    chart.title = words["gap_chart_first" if shown < count else "gap_chart"].format(currency=currency, shown=shown,
                                                                                    count=count)
    chart.legend = None
    chart.height, chart.width = _chart_height(shown), 18
    data = Reference(ws, min_col=2, min_row=header, max_row=header + shown)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=header + shown))
    series = chart.series[0]
    series.graphicalProperties.solidFill = look.brand.gap
    series.graphicalProperties.line.solidFill = look.brand.gap
    chart.x_axis.scaling.orientation = "maxMin"       # the largest gap at the top, as in the table
    chart.x_axis.delete = False
    chart.y_axis.delete = True                        # each bar carries its value (in the cells' format)
    chart.y_axis.majorGridlines = None
    chart.y_axis.scaling.min = 0
    chart.gapWidth = 60
    labels = DataLabelList()
    labels.showVal = True
    labels.showSerName = labels.showCatName = labels.showLegendKey = labels.showPercent = False
    chart.dataLabels = labels
    ws.add_chart(chart, f"D{header}")


# Actions, findings, files not read -----------------------------------------------------------------

ACTION_COLUMNS = ("Account", "Action", "Owner", "Due", "Status", "Overdue", "File", "Cell")


def actions_sheet(ws, portfolio: Portfolio, look: _Look, words: dict[str, str]) -> None:
    actions = portfolio.actions
    counts = portfolio.action_counts()
    _heading(ws, words["actions_title"], words["actions_note"].format(
        open=counts["open"], plans=len(portfolio.plans), overdue=counts["overdue"], blocked=counts["blocked"]), look)
    rows = [[a.account or Path(a.file).name, a.action or None, a.owner or "(no owner)", a.due, a.status,
             "Yes" if a.overdue else "No", a.file, f"{a.sheet}!{a.cell}" if a.sheet else None] for a in actions]
    _table(ws, "OpenActions", list(ACTION_COLUMNS), rows, [None, None, None, DATE, None, None, None, None],
           [34, 50, 20, 13, 13, 9, 40, 16], look)
    for r, a in enumerate(actions, FIRST_ROW + 1):
        if a.overdue:
            ws.cell(r, 4).font = ws.cell(r, 6).font = look.bad
        if a.blocked:
            ws.cell(r, 5).font = look.bad


FINDING_COLUMNS = ("File", "Account", "Severity", "Code", "Section", "Cell", "Message", "What to do")


def findings_sheet(ws, portfolio: Portfolio, look: _Look, words: dict[str, str]) -> None:
    findings = sorted(portfolio.findings, key=lambda f: (f.severity != "error", f.account.casefold(), f.file))
    _heading(ws, words["findings_title"], words["findings_note"].format(
        errors=portfolio.errors, warnings=portfolio.warnings, plans=len(portfolio.plans)), look)
    rows = [[f.file, f.account or None, f.severity, f.code, f.section or None,
             f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "workbook"), _one_line(f.message),
             _one_line(f.hint) or None] for f in findings]
    _table(ws, "Findings", list(FINDING_COLUMNS), rows, [None] * len(FINDING_COLUMNS),
           [40, 26, 9, 22, 20, 20, 70, 50], look)
    for r, f in enumerate(findings, FIRST_ROW + 1):
        if f.severity == "error":
            ws.cell(r, 3).font = look.bad


REFUSED_COLUMNS = ("File", "Code", "Reason", "What to do")


def refused_sheet(ws, portfolio: Portfolio, look: _Look, words: dict[str, str]) -> None:
    _heading(ws, words["not_read_title"], words["not_read_note"].format(count=len(portfolio.refused)), look)
    rows = [[r.file, r.refusal.code, _one_line(r.refusal.message), _one_line(r.refusal.hint) or None]
            for r in portfolio.refused]
    _table(ws, "NotRead", list(REFUSED_COLUMNS), rows, [None] * 4, [40, 18, 60, 50], look)


def earlier_refused_sheet(ws, portfolio: Portfolio, look: _Look, words: dict[str, str]) -> None:
    """The files of `--since DIR` that could not be used: no plan was compared with them."""
    run = portfolio.since
    _heading(ws, words["earlier_not_read_title"], words["earlier_not_read_note"].format(
        count=len(run.refused), folder=run.folder), look)
    rows = [[r.file, r.refusal.code, _one_line(r.refusal.message), _one_line(r.refusal.hint) or None]
            for r in run.refused]
    _table(ws, "EarlierNotRead", list(REFUSED_COLUMNS), rows, [None] * 4, [40, 18, 60, 50], look)
