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
from ..render.checked.styles import text as _text
from . import Portfolio

TITLE = "Portfolio"
TABLE_STYLE = "TableStyleMedium2"
FIRST_ROW = 4                     # the tables' header row: a title and a note above
SHARE, TIMES, COUNT, DATE = "0%", '0.00"×"', "0", "d mmm yyyy"
CHART_ACCOUNTS = 25               # accounts a chart shows at most (the table beside it has them all)


def render(portfolio: Portfolio, path: Path, kit: Kit | None = None) -> None:
    """Write the portfolio workbook to `path` (.xlsx)."""
    kit = kit or default_kit()
    wb = Workbook()
    look = _Look(kit)
    plans_sheet(wb.active, portfolio, kit, look)
    totals_sheet(wb.create_sheet("Totals"), portfolio, kit, look)
    gap_sheet(wb.create_sheet("Uncovered gap"), portfolio, look)
    actions_sheet(wb.create_sheet("Actions"), portfolio, look)
    findings_sheet(wb.create_sheet("Findings"), portfolio, look)
    if portfolio.refused:
        refused_sheet(wb.create_sheet("Not read"), portfolio, look)
    if portfolio.since is not None and portfolio.since.refused:
        earlier_refused_sheet(wb.create_sheet("Earlier not read"), portfolio, look)
    wb.calculation.fullCalcOnLoad = True           # the totals row's formulas are worked out on opening
    when = dt.datetime.combine(portfolio.as_of or dt.date.today(), dt.time())
    props = wb.properties
    props.title, props.subject = TITLE, f"{len(portfolio.plans)} account plans"
    props.creator, props.lastModifiedBy = PRODUCER, PRODUCER
    props.created = props.modified = when
    write_stamped(workbook_bytes(wb), Path(path), when.date())


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


def plans_sheet(ws, portfolio: Portfolio, kit: Kit, look: _Look) -> None:
    ws.title = "Plans"
    one_currency = len(portfolio.totals) <= 1
    currencies = [p.currency for p in portfolio.plans]
    when = f" · as of {fmt.date(portfolio.as_of)}" if portfolio.as_of else ""
    _heading(ws, TITLE, f"{len(portfolio.plans)} plans{when} · each row is the plan's own figures; computed by "
             f"accountplan, replaced on every run" + ("" if one_currency else
                                                     " · money in each plan's currency: totals per currency on Totals")
             + (f" · moves since the plans in {portfolio.since.folder}" if portfolio.since is not None else ""),
             look)

    def money(i: int) -> str:
        return fmt.money_format(currencies[i]) if i < len(currencies) else fmt.money_format("USD")

    formats = [None, None, None, None, *([money] * len(MONEY_COLUMNS)), TIMES, SHARE, SHARE, COUNT, COUNT, COUNT,
               COUNT, COUNT, None, None, None]
    totals = {i: "sum" for i in range(12, 17)}
    totals[11] = "average"
    if one_currency:
        totals.update({i: "sum" for i in range(4, 9)})
    label = "Total" if one_currency else "Total (money: see Totals)"
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

TOTAL_LINES = (("Plans", "plans", COUNT), ("Plans with a target", "with_target", COUNT),
               ("annual_target", "annual_target", "money"), ("secured", "secured", "money"),
               ("forecast", "forecast", "money"), ("pipeline", "pipeline", "money"),
               ("prospect", "prospect", "money"), ("weighted_open", "weighted_open", "money"),
               ("gap_to_target", "gap_to_target", "money"), ("uncovered_gap", "uncovered_gap", "money"),
               ("surplus", "surplus", "money"), ("whitespace_open", "whitespace_open", "money"),
               ("pipeline_coverage", "pipeline_coverage", TIMES))


def total_label(kit: Kit, key: str) -> str:
    return kit.wording.figures.get(key, key)


def totals_sheet(ws, portfolio: Portfolio, kit: Kit, look: _Look) -> None:
    _heading(ws, "Totals", "Each figure added up over the plans in one currency; plans in different currencies "
             "are never added together. Targets and gaps count the plans that give a target.", look)
    row = FIRST_ROW
    header = _text(ws.cell(row, 1), "Figure")
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
    _text(ws.cell(r, 1), "Across plans").font = look.heading
    counts = portfolio.action_counts()
    for r, (label, value) in enumerate((("Files read", len(portfolio.plans)), ("Files not usable", len(portfolio.refused)),
                                        ("Plans with errors", portfolio.plans_with_errors),
                                        ("Errors", portfolio.errors), ("Warnings", portfolio.warnings),
                                        ("Open actions", counts["open"]), ("Overdue actions", counts["overdue"]),
                                        ("Blocked actions", counts["blocked"])), r + 1):
        _text(ws.cell(r, 1), label)
        _number(ws.cell(r, 2), value, COUNT)
    ws.column_dimensions["A"].width = 26
    for c in range(2, 2 + max(1, len(portfolio.totals))):
        ws.column_dimensions[get_column_letter(c)].width = 16


# The uncovered gap, by account ---------------------------------------------------------------------

def gap_sheet(ws, portfolio: Portfolio, look: _Look) -> None:
    """Per currency, the plans with a target by uncovered gap, largest first, and a bar chart of the first
    CHART_ACCOUNTS over those cells (a native chart: it follows edits)."""
    _heading(ws, "Uncovered gap by account", "What each account still has to find after secured and weighted "
             "open business, largest first; one chart per currency.", look)
    row = FIRST_ROW
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 34, 22
    for currency in portfolio.totals:
        plans = sorted((p for p in portfolio.in_currency(currency) if p.figures.uncovered_gap is not None),
                       key=lambda p: (-p.figures.uncovered_gap, p.name.casefold()))
        _text(ws.cell(row, 1), f"Uncovered gap ({currency})").font = look.heading
        header = row + 1
        for c, title in enumerate(("Account", f"Uncovered gap ({currency})"), 1):
            cell = _text(ws.cell(header, c), title)
            cell.font, cell.fill = look.header, look.header_fill
        money = fmt.money_format(currency)
        for r, p in enumerate(plans, header + 1):
            _text(ws.cell(r, 1), p.name)
            _number(ws.cell(r, 2), p.figures.uncovered_gap, money)
        if not plans:
            _text(ws.cell(header + 1, 1), "No plan in this currency gives a target.").font = look.muted
        shown = min(len(plans), CHART_ACCOUNTS)
        if shown:
            _gap_chart(ws, header, shown, len(plans), currency, look)
        height_rows = max(len(plans) + 1, int(_chart_height(shown) / 0.5) + 1 if shown else 0)
        row = header + height_rows + 2


def _chart_height(bars: int) -> float:
    """cm: room for each bar and its label."""
    return max(6.0, 1.6 + 0.65 * bars)


def _gap_chart(ws, header: int, shown: int, count: int, currency: str, look: _Look) -> None:
    chart = BarChart()
    chart.type, chart.style = "bar", 10
    more = f", the first {shown} of {count}" if shown < count else ""
    chart.title = f"Uncovered gap by account ({currency}{more})"
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


def actions_sheet(ws, portfolio: Portfolio, look: _Look) -> None:
    actions = portfolio.actions
    counts = portfolio.action_counts()
    _heading(ws, "Open actions", f"{counts['open']} open actions across {len(portfolio.plans)} plans, "
             f"{counts['overdue']} overdue, {counts['blocked']} blocked; overdue first, then by due date.", look)
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


def findings_sheet(ws, portfolio: Portfolio, look: _Look) -> None:
    findings = sorted(portfolio.findings, key=lambda f: (f.severity != "error", f.account.casefold(), f.file))
    _heading(ws, "Findings", f"{portfolio.errors} errors and {portfolio.warnings} warnings across "
             f"{len(portfolio.plans)} plans, errors first; each names its file and cell.", look)
    rows = [[f.file, f.account or None, f.severity, f.code, f.section or None,
             f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "workbook"), _one_line(f.message),
             _one_line(f.hint) or None] for f in findings]
    _table(ws, "Findings", list(FINDING_COLUMNS), rows, [None] * len(FINDING_COLUMNS),
           [40, 26, 9, 22, 20, 20, 70, 50], look)
    for r, f in enumerate(findings, FIRST_ROW + 1):
        if f.severity == "error":
            ws.cell(r, 3).font = look.bad


REFUSED_COLUMNS = ("File", "Code", "Reason", "What to do")


def refused_sheet(ws, portfolio: Portfolio, look: _Look) -> None:
    _heading(ws, "Files not read", f"{len(portfolio.refused)} files could not be used; they are in no total.", look)
    rows = [[r.file, r.refusal.code, _one_line(r.refusal.message), _one_line(r.refusal.hint) or None]
            for r in portfolio.refused]
    _table(ws, "NotRead", list(REFUSED_COLUMNS), rows, [None] * 4, [40, 18, 60, 50], look)


def earlier_refused_sheet(ws, portfolio: Portfolio, look: _Look) -> None:
    """The files of `--since DIR` that could not be used: no plan was compared with them."""
    run = portfolio.since
    _heading(ws, "Earlier versions not read", f"{len(run.refused)} files in {run.folder} could not be used; no "
             "plan was compared with them.", look)
    rows = [[r.file, r.refusal.code, _one_line(r.refusal.message), _one_line(r.refusal.hint) or None]
            for r in run.refused]
    _table(ws, "EarlierNotRead", list(REFUSED_COLUMNS), rows, [None] * 4, [40, 18, 60, 50], look)
