"""The review deck: a summary up front, then one slide per part of the plan, in a fixed order.

Every slide has a small topic above a title that states its point (the view's headline: "$725K uncovered;
pipeline covers 1.10× the gap"), the account and plan period in the footer, a slide number and speaker
notes that tell the presenter what to point at. A plan with blank sections gets one "Not ready for review"
slide listing each with the sheet to fill, instead of a slide per blank section; sections with content keep
their slides. Long lists are summarised (their first rows by value or date, a total, and what is left out)
where the list is not the slide's point, and continue on balanced slides where it is.

The deck lays out a `PlanView` in a kit's brand and nothing else: every value, label, mark, tone, headline,
total and row order comes from the view (so the deck reads the same as the document and the checked
workbook), and the deck only chooses what goes on which slide, where, and how large. Its own words are the
topics, the panel headings, notes to the presenter and explanations under a table.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import MSO_ANCHOR
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..plan import schema
from ..brand import Brand
from .deck_parts import (BODY_BOTTOM, BODY_TOP, CONTENT_W, INSET_X, LINE_SPACING, MARGIN, SLIDE_W, TABLE_SIZE, Box,
                         Cell, Col,
                         DatedChartData, DeckFile, FittedRow, Para, fit_row, fit_size, fit_table, fits_whole,
                         label_format, move_label, no_leader_lines, paginate, rgb, spread, table_height, wrap)
from ..kit import Kit
from ..view import (BAD, FAIR, GOOD, UNKNOWN, FieldView, ListView, PlanView, SectionView, Step, relationship_tone)
from ..view import Cell as ViewCell  # a value as the view shows it; `Cell` is a table cell of the deck

BASE_TITLES = (
    "Account review",
    "Summary",
    "Not ready for review",
    "The objective",
    "Customer agenda",
    "Path to the number",
    "Opportunities",
    "Relationship map",
    "Position and whitespace",
    "Competition",
    "Pressure test",
    "Risks",
    "Action plan",
    "Account team and relationship health",
    "Three leadership questions",
    "Plan health",
)
"""The slides' topics in order (the small kicker above each title, which states the slide's point). A plan
with blank sections leaves out their slides and gets "Not ready for review" instead; a list that is a
slide's point continues on further slides, topic e.g. `Relationship map (2 of 3)`."""

GAP = 16.0      # space between side-by-side blocks
WARNING = "⚠"   # marks a value the rep typed that could not be used


def render(view: PlanView, kit: Kit, path: Path) -> None:
    """Write the review deck of `view`, in `kit`'s brand, to `path` (.pptx)."""
    period = _given(view.fact("plan_period")) or "plan period missing"
    deck = DeckFile(f"{view.account} · {period}", kit.brand, kit.deck_template)
    for slide_maker in SLIDES:
        slide_maker(deck, view, kit)
    deck.save(path, view.as_of, "" if view.account_missing else view.account, _given(view.fact("account_owner")))


# Shared pieces ------------------------------------------------------------------------------------

def _numbered(title: str, page: int, pages: int) -> str:
    return title if pages == 1 else f"{title} ({page} of {pages})"


def _given(cell: ViewCell) -> str:
    """The text of a value the plan gives, or "" when it is blank."""
    return "" if cell.value is None and not cell.invalid else cell.text


def _colour(brand: Brand, tone: str | None) -> str | None:
    """The brand's colour for a view's tone (None: the plain text colour)."""
    return getattr(brand, tone) if tone else None


def _cell(brand: Brand, cell: ViewCell) -> Cell:
    """A view's value as a table cell: in its tone; a value the rep typed that could not be used in red,
    bold and marked, with what the figures use instead."""
    if cell.invalid:
        note = getattr(cell, "note", "")
        return Cell(f"{WARNING} {cell.text}" + (f" ({note})" if note else ""), brand.bad, bold=True)
    return Cell(cell.text, _colour(brand, cell.tone), bold=cell.strong)


def _field(view: PlanView, name: str) -> FieldView:
    return next(f for s in view.sections for f in s.fields if f.name == name)


def _columns(listed: ListView, widths: dict[str, float]) -> list[Col]:
    """The columns the slide shows, in `widths`' order, headed as the definition heads them."""
    return [Col(listed.column(attr).header, width, "right" if listed.column(attr).right_aligned else "left")
            for attr, width in widths.items()]


def _rows(brand: Brand, rows, widths: dict[str, float]) -> list[list[Cell]]:
    return [[_cell(brand, row[attr]) for attr in widths] for row in rows]


def _note(deck: DeckFile, text: str, max_lines: int = 2, size: float = 11) -> Para:
    return Para(text, size, colour=deck.brand.muted, max_lines=max_lines)


def _table_slides(deck: DeckFile, topic: str, title: str, notes: str, cols: list[Col], rows: list[list],
                  intro: list[Para] | None = None, footnote: list[Para] | None = None, max_lines: int = 3,
                  section: SectionView | None = None) -> None:
    """A list that is the slide's point: a table as large as its page allows, continuing on balanced slides
    when it does not fit one, with an optional line above and a note below on each; the kit's own fields of
    its `section` at the foot of the first."""
    end = BODY_BOTTOM - _strip_height(section)
    top = BODY_TOP + (40 if intro else 0)
    bottom = end - (42 if footnote else 0)
    size, pages = fit_table(cols, rows, bottom - top, max_lines=max_lines)
    for number, page in enumerate(pages, 1):
        slide = deck.slide(title, notes, _numbered(topic, number, len(pages)))
        if intro:
            deck.text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 38), intro, name="Summary")
        shape = deck.table(slide, MARGIN, top, cols, page, size, name=topic)
        if footnote:
            below = top + shape.height / 12700 + 6
            deck.text(slide, Box(MARGIN, below, CONTENT_W, end - below), footnote, name="Note", fit=True)
        if number == 1:
            _own_strip(deck, slide, section, MARGIN)


def _summarised(deck: DeckFile, cols: list[Col], rows: list[list], height: float, extra: int = 0,
                max_lines: int = 2) -> int:
    """How many of `rows` one page of `height` shows at the smallest table size, `extra` rows (a total)
    kept free."""
    room = height - table_height(cols, [], TABLE_SIZE) - extra * fit_row(cols, [""], TABLE_SIZE, 1).height
    count = 0
    for values in rows:            # fitted one by one: only the rows up to the first that does not fit
        row = fit_row(cols, values, TABLE_SIZE, max_lines)
        if row.height > room:
            break
        room -= row.height
        count += 1
    return max(1, count)


def _skipped(section: SectionView) -> bool:
    """A section left blank has no slide of its own: the "Not ready for review" slide names it."""
    return section.missing


# 1. Title -----------------------------------------------------------------------------------------

NAME_SIZES = (40.0, 36.0, 32.0, 28.0, 24.0)  # the account's name shrinks to fit, down to 24 pt, before a cut


def title_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    brand = deck.brand
    position, as_of = view.figure("position"), view.figure("as_of")
    slide = deck.slide(view.account, (
        f"Open with the account, who owns the plan and where it sits: a {position.value or 'not yet rated'} "
        f"account for {_given(view.fact('plan_period')) or 'an unnamed period'}. The figures are as of "
        f"{as_of.text}; the plan itself is dated {view.fact('plan_date').text}."), BASE_TITLES[0],
        title_box=Box(MARGIN, 100, CONTENT_W, 156), title_sizes=NAME_SIZES, title_lines=3, rule=False, cover=True)
    rule = slide.shapes.add_connector(1, Pt(MARGIN), Pt(262), Pt(MARGIN + CONTENT_W), Pt(262))
    rule.line.color.rgb, rule.line.width, rule.name = rgb(brand.accent), Pt(2), "Title rule"
    industry, region = (_given(view.fact(name)) for name in ("industry", "region"))
    deck.text(slide, Box(MARGIN, 268, CONTENT_W, 56), _where(industry, region, brand.muted), name="Where")
    owner, period, dated = (_field(view, name) for name in ("account_owner", "plan_period", "plan_date"))
    cols = [Col(label, CONTENT_W / 5) for label in (owner.label, period.label, position.label, dated.label,
                                                     as_of.label)]
    placed = Cell(position.text, "FFFFFF", brand.accent, True) if position.value \
        else Cell(kit.wording.mark("not_placed"), brand.bad, bold=True)
    values = [_cell(brand, owner.cell), _cell(brand, period.cell), placed, _cell(brand, dated.cell), as_of.text]
    size, pages = fit_table(cols, [values], 120, sizes=(14.0, 13.0, 12.0, TABLE_SIZE))
    facts = deck.table(slide, MARGIN, 352, cols, pages[0], size, name="Facts")
    _cover_extras(deck, slide, view, 352 + facts.height / 12700 + 10)
    _logo(deck, slide, kit)


def _where(industry: str, region: str, colour: str) -> list[Para]:
    """Industry · region on one line, or each on its own line when they do not fit one: the region is never
    dropped for a long industry."""
    where = " · ".join(part for part in (industry, region) if part)
    if len(wrap(where, CONTENT_W - 2 * INSET_X, 18)) <= 1 or not (industry and region):
        return [Para(where, 18, colour=colour, max_lines=2)]
    return [Para(industry, 18, colour=colour, max_lines=1), Para(region, 18, colour=colour, max_lines=1)]


# 2. Summary ---------------------------------------------------------------------------------------

SUMMARY_FIGURES = ("position", "annual_target", "secured", "uncovered_gap", "pipeline_coverage", "readiness",
                   "completeness")
RISK_COLUMNS = {"risk": 300, "impact": 80, "likelihood": 90}
TILE_GAP = 8.0


def summary_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    brand, fig = deck.brand, view.figure
    slide = deck.slide(view.headlines["summary"], (
        "The plan on one page: where the account sits, the number and what covers it, how ready and complete "
        "the plan is, the risks that matter most, the next action and the one decision we are asking for. Read "
        "the title first: it is the point of the plan."), BASE_TITLES[1])
    width = (CONTENT_W - TILE_GAP * (len(SUMMARY_FIGURES) - 1)) / len(SUMMARY_FIGURES)
    for i, key in enumerate(SUMMARY_FIGURES):
        _tile(deck, slide, Box(MARGIN + i * (width + TILE_GAP), BODY_TOP + 6, width, 76), fig(key))
    top, left = BODY_TOP + 100, 520.0
    deck.text(slide, Box(MARGIN, top, left, 30), [Para("Top risks", 16, True, brand.primary, max_lines=1)],
              name="Risks heading")
    listed = view.list("Risks")
    below = top + 32
    if listed.rows:
        shown = listed.summary(3)
        widths = {**RISK_COLUMNS, "risk": left - 170}
        size, pages = fit_table(_columns(listed, widths), _rows(brand, shown.shown, widths), 124,
                                sizes=(14.0, 13.0, 12.0, TABLE_SIZE), max_lines=2)
        table = deck.table(slide, MARGIN, below, _columns(listed, widths), pages[0], size, name="Top risks")
        below += table.height / 12700 + 2
        if shown.rest_count:
            deck.text(slide, Box(MARGIN, below, left, 22), [_note(deck, kit.wording.say(
                "list_rest_count", count=shown.rest_count), 1)], name="More risks")
            below += 20
    else:
        deck.text(slide, Box(MARGIN, below, left, 26), [Para(view.headlines["risks"], 14, True, brand.bad,
                                                             max_lines=1)], name="Top risks")
        below += 28
    answer = next(a for a in view.answers if a.key == "next_action")
    deck.text(slide, Box(MARGIN, below + 12, left, BODY_BOTTOM - below - 12), [
        Para(answer.question, 16, True, brand.primary, max_lines=1),
        *(Para(line.text, 14, line.gap, brand.bad if line.gap else None, max_lines=2, space_before=4)
          for line in answer.lines)], name="Next action", fit=True)
    x = MARGIN + left + GAP * 2
    _ask(deck, slide, view, kit, Box(x, top, MARGIN + CONTENT_W - x, BODY_BOTTOM - top))


def _tile(deck: DeckFile, slide, box: Box, figure) -> None:
    """One figure as a tile: its label small, its value large in its tone."""
    brand = deck.brand
    value = figure.short if figure.kind == "money" else figure.text
    size, value = fit_size(value, box.w - 2 * INSET_X, (28.0, 24.0, 20.0, 18.0, 16.0, 14.0), 1)
    colour = _colour(brand, figure.tone) or brand.primary
    if figure.key == "uncovered_gap" and figure.value is not None:
        colour = brand.bad if figure.value else brand.good
    deck.text(slide, box, [Para(figure.label, 10, colour=brand.muted, max_lines=1),
                           Para(value, size, True, colour, max_lines=1, space_before=6)],
              name=f"Figure {figure.key}", fill=brand.light)


def _ask(deck: DeckFile, slide, view: PlanView, kit: Kit, box: Box) -> None:
    """The one ask: the objective and by when it is decided, with its value and sponsor."""
    brand = deck.brand
    objective = view.section("Objective")
    paras = [Para("The ask", 16, True, brand.primary, max_lines=1)]
    if objective.missing or view.fact("objective_title").value is None:
        paras.append(Para(view.headlines["objective"], 14, True, brand.bad, max_lines=2, space_before=6))
    else:
        paras.append(Para(view.fact("objective_title").text, 18, True, brand.accent, max_lines=3, space_before=6))
        for name in ("objective_decision_date", "objective_value", "objective_sponsor"):
            item = objective.field(name)
            missing = item.cell.value is None
            paras.append(Para(f"{item.label}: {_cell(brand, item.cell).text}", 14, missing,
                              brand.bad if missing or item.cell.invalid else None, max_lines=2, space_before=6))
    deck.text(slide, box, paras, name="The ask", fill=brand.light, fit=True)


# 3. Not ready for review --------------------------------------------------------------------------

MISSING_COLUMNS = [Col("Section", 200), Col("Sheet to fill", 170), Col("What it is for", CONTENT_W - 370)]


def not_ready_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    """One slide for every blank section, each with the sheet to fill, instead of a slide per blank section."""
    missing = [s for s in view.sections if s.missing]
    if not missing:
        return
    brand, complete = deck.brand, view.figure("completeness")
    slide = deck.slide(view.headlines["not_ready"], (
        f"The plan is {complete.text} complete: {len(missing)} sections are blank. Say so plainly, agree who fills "
        "in each sheet and by when, and build the deck again before the review. Do not guess the content in the "
        "meeting."), BASE_TITLES[2])
    incomplete = [f"{s.name} ({s.share_text})" for s in view.sections if s.incomplete]
    intro = [Para(f"{complete.label}: {complete.text}. Fill in these sheets of the workbook, then build again.",
                  16, True, brand.bad, max_lines=1)]
    rows = [[Cell(s.name, brand.bad, bold=True), s.sheet, s.purpose] for s in missing]
    footnote = [_note(deck, f"{kit.wording.mark('incomplete')}: {', '.join(incomplete)}.", 3, 13)] \
        if incomplete else []
    top, bottom = BODY_TOP + 40, BODY_BOTTOM - (60 if footnote else 0)
    deck.text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 36), intro, name="Summary")
    size, pages = fit_table(MISSING_COLUMNS, rows, bottom - top, sizes=(16.0, 14.0, 13.0, 12.0, 11.0, 10.0),
                            max_lines=2)
    shape = deck.table(slide, MARGIN, top, MISSING_COLUMNS, pages[0], size, name="Missing sections")
    if footnote:
        below = top + shape.height / 12700 + 8
        deck.text(slide, Box(MARGIN, below, CONTENT_W, BODY_BOTTOM - below), footnote, name="Incomplete", fit=True)


# 4. Objective -------------------------------------------------------------------------------------

OBJECTIVE_FACTS = ("objective_value", "objective_decision_date", "objective_sponsor", "objective_why_now")


def objective_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    section = view.section("Objective")
    if _skipped(section):
        return
    brand, say = deck.brand, kit.wording.say
    value, gap = section.field("objective_value"), view.figure("gap_to_target")
    slide = deck.slide(view.headlines["objective"], (
        f"State the one objective this plan exists to win. Compare its value ({value.cell.text}) "
        f"with the gap to target ({gap.text}), then give the reason to act now and who sponsors it."),
        BASE_TITLES[3])
    head = deck.text(slide, Box(MARGIN, BODY_TOP + 4, CONTENT_W, 112), [
        Para(_given(view.fact("objective_title")) or say("no_objective"), 24, True, brand.primary, max_lines=2),
        *([Para(view.fact("objective_description").text, 14, max_lines=2, space_before=4)]
          if _given(view.fact("objective_description")) else []),
    ], name="Objective", fit=True)
    top = BODY_TOP + 4 + head.height / 12700 + 14
    cols = [Col("Item", 170), Col("In the plan", 420)]
    rows = []
    for item in map(section.field, OBJECTIVE_FACTS):
        shown = _cell(brand, item.cell)
        if item.name == "objective_why_now" and item.cell.value is None and not item.cell.invalid:
            shown = Cell(say("no_why_now"), brand.bad, bold=True)
        rows.append([item.label, shown])
    rows += [[item.label, _cell(brand, item.cell)] for item in own_fields(section)]  # a kit's own fields
    size, pages = fit_table(cols, rows, BODY_BOTTOM - top, sizes=(16.0, 14.0, 13.0, 12.0, TABLE_SIZE), max_lines=6)
    deck.table(slide, MARGIN, top, cols, pages[0], size, name="Objective facts")
    x = MARGIN + 590 + GAP * 2
    deck.text(slide, Box(x, top, MARGIN + CONTENT_W - x, BODY_BOTTOM - top), [
        Para("Value against the gap", 16, True, brand.primary, max_lines=1),
        Para(value.label, 12, colour=brand.muted, max_lines=1, space_before=10),
        Para(value.cell.text, 28, True, brand.bad if value.cell.invalid else brand.accent, max_lines=1),
        Para(gap.label, 12, colour=brand.muted, max_lines=1, space_before=10),
        Para(gap.text, 28, True, _colour(brand, gap.tone), max_lines=1),
        Para(f"{gap.label}: annual target less what is secured.", 11, colour=brand.muted, space_before=10),
    ], name="Value against gap", fill=brand.light, fit=True)


# 5. Customer agenda -------------------------------------------------------------------------------

AGENDA = {"priority": 200, "category": 140, "detail": 200, "how_we_help": 228, "validated": 120}


def agenda_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    section = view.section("Customer agenda")
    if _skipped(section):
        return
    priorities = section.list("CustomerPriorities")
    _table_slides(deck, BASE_TITLES[4], view.headlines["agenda"], (
        "Start from the customer's priorities, in their words, and how we help with each. Green ones were "
        "validated with the customer; ask how the others will be checked."), _columns(priorities, AGENDA),
        _rows(deck.brand, priorities.rows, AGENDA), section=section)


# 6. Path to the number ----------------------------------------------------------------------------

CHART_W = 540.0
KEY_FIGURES = ("annual_target", "secured", "forecast", "pipeline", "prospect", "weighted_open", "gap_to_target",
               "uncovered_gap", "surplus", "pipeline_coverage", "growth_vs_prior")
STEP_LABEL = 10.0   # data-label size on the chart


def path_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    section = view.section("Path to the number")
    if _skipped(section):
        return
    brand, fig = deck.brand, view.figure
    slide = deck.slide(view.headlines["path"], (
        f"Read the bars left to right: {fig('secured').text} secured, then forecast, pipeline and prospect "
        f"weighted by their probability ({fig('weighted_open').text} in all), then what is left to find (or "
        f"what is to spare) against the {fig('annual_target').text} target: {view.headlines['path']}. The "
        "table beside it gives the unweighted values. Ask what closes the gap, and by when."), BASE_TITLES[5])
    strip = _strip_height(section)
    _waterfall(deck, slide, view, Box(MARGIN, BODY_TOP + 4, CHART_W, BODY_BOTTOM - strip - BODY_TOP - 4))
    _own_strip(deck, slide, section, MARGIN)
    x = MARGIN + CHART_W + GAP
    width = MARGIN + CONTENT_W - x
    cols = [Col("Figure", width - 120), Col("Value", 120, "right")]
    shown = [fig(key) for key in KEY_FIGURES if key != "surplus" or fig(key).value]
    rows = [[Cell(f.label, _colour(brand, f.tone), bold=bool(f.tone)),
             Cell(f.text, _colour(brand, f.tone), bold=bool(f.tone))] for f in shown]
    size, pages = fit_table(cols, rows, 330, sizes=(14.0, 13.0, 12.0, TABLE_SIZE), max_lines=2)
    table = deck.table(slide, x, BODY_TOP + 4, cols, pages[0], size, name="Key figures")
    below = BODY_TOP + 4 + table.height / 12700 + 8
    deck.text(slide, Box(x, below, width, BODY_BOTTOM - below), [_note(deck, (
        "Bars: forecast, pipeline and prospect weighted by probability (a blank probability takes its stage's "
        f"default). {fig('pipeline_coverage').label}: all open value, unweighted, against the gap to target."),
        max_lines=6)], name="Note", fit=True)


def _waterfall(deck: DeckFile, slide, view: PlanView, box: Box) -> None:
    """The path to the number as a bridge of stacked columns on an invisible base: secured, each open stage
    weighted, then the uncovered gap up to the target (or the surplus above it), then the target. Each bar is
    its own editable series and carries its value; a bar too short to hold its label has it just above."""
    brand, steps = deck.brand, view.path
    top = max((s.end for s in steps), default=0.0)
    axis_max = _nice(top * 1.1)
    data = DatedChartData(view.as_of, view.money_format)
    data.categories = [s.label for s in steps]
    data.add_series("Base", [s.start if s.start else None for s in steps])
    for i, step in enumerate(steps):
        data.add_series(step.label, [step.value if j == i else None for j in range(len(steps))])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_STACKED, *box.emu, data).chart
    chart.has_legend = False
    chart.font.size, chart.font.name = Pt(10), brand.font
    plot_h = _plot_layout(chart, box)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 40, 100
    colours = _step_colours(brand, steps)
    for i, series in enumerate(plot.series):
        if i == 0:
            series.format.fill.background()
            series.format.line.fill.background()
            continue
        step, colour = steps[i - 1], colours[i - 1]
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(colour)
        series.format.line.color.rgb = rgb(_darker(colour))   # a bar of almost nothing still shows as a line
        series.format.line.width = Pt(1.25)
        _step_label(series.points[i - 1].data_label, view, step, colour, brand,
                    step.value / axis_max * plot_h, box.h)
        no_leader_lines(series)
    axis = chart.value_axis
    axis.minimum_scale, axis.maximum_scale = 0, axis_max
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb(brand.light)
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = _axis_format(view, axis_max), False
    axis.tick_labels.font.size = Pt(10)
    axis.format.line.fill.background()
    chart.category_axis.tick_labels.font.size = Pt(10)


def _step_label(label, view: PlanView, step: Step, colour: str, brand: Brand, bar_h: float, chart_h: float) -> None:
    """The bar's value as `view` writes it scaled (the label's number format shows exactly the step's short
    text and follows the data if edited), inside a bar tall enough for it, else just above the bar."""
    label.position = XL_LABEL_POSITION.CENTER
    label_format(label, view.money_format_short(step.value))
    label.font.size, label.font.bold = Pt(STEP_LABEL), True
    room = STEP_LABEL * LINE_SPACING + 6
    if bar_h >= room:
        label.font.color.rgb = rgb("FFFFFF" if _dark(colour) else brand.text)
    else:
        label.font.color.rgb = rgb(brand.text)
        move_label(label, -(bar_h / 2 + 3 + room / 2) / chart_h)


def _axis_format(view: PlanView, axis_max: float) -> str:
    """Scaled money on the axis, each tick in the unit its size calls for (`$2.5M`, `$500K`, `$0`), made of
    the view's own formats so that it reads like the figures."""
    units = [view.money_format_short(value) for value in (1.5e9, 1.5e6, 500e3)]
    limits = ("999500000", "999500", "999.5")
    start = 0 if axis_max >= 999_500_000 else 1
    sections = [f"[>={limit}]{unit}" for limit, unit in zip(limits[start:start + 2], units[start:start + 2])]
    return ";".join([*sections, units[start + 2] if start == 0 else view.money_format])


def _plot_layout(chart, box: Box) -> float:
    """Fix the plot area inside the chart (so a label's place above its bar can be worked out); its height."""
    x, y, w, h = 0.13, 0.03, 0.85, 0.80
    plot_area = chart._chartSpace.chart.plotArea
    layout = plot_area.find(qn("c:layout"))
    if layout is None:
        layout = plot_area.makeelement(qn("c:layout"), {})
        plot_area.insert(0, layout)
    for old in list(layout):
        layout.remove(old)
    manual = layout.makeelement(qn("c:manualLayout"), {})
    layout.append(manual)
    for tag, val in (("c:layoutTarget", "inner"), ("c:xMode", "edge"), ("c:yMode", "edge"), ("c:x", x),
                     ("c:y", y), ("c:w", w), ("c:h", h)):
        manual.append(manual.makeelement(qn(tag), {"val": str(val)}))
    return box.h * h


def _nice(value: float) -> float:
    """A round axis maximum at or above `value`: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 or 10 times a power of ten
    (at least one unit of money; the largest number there is for an absurd one)."""
    if not math.isfinite(value):
        return sys.float_info.max
    if value <= 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next((step * power for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * power >= value), value)


def _step_colours(brand: Brand, steps) -> list[str]:
    stages = [brand.forecast, brand.pipeline, brand.prospect]
    colours, opened = [], 0
    for step in steps:
        if step.role == "open":
            colours.append(stages[min(opened, len(stages) - 1)])
            opened += 1
        else:
            colours.append({"secured": brand.secured, "gap": brand.gap, "surplus": brand.good,
                            "total": brand.muted}[step.role])
    return colours


def _dark(colour: str) -> bool:
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b < 150


def _darker(colour: str) -> str:
    return "".join(f"{int(int(colour[i:i + 2], 16) * 0.7):02X}" for i in (0, 2, 4))


# 7. Opportunities ---------------------------------------------------------------------------------

OPPORTUNITIES = {"opportunity": 170, "offering": 100, "stage": 80, "value": 92, "probability": 90,
                 "close_date": 100, "owner": 100, "next_step": CONTENT_W - 732}


def opportunities_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    section = view.section("Path to the number")
    if _skipped(section):
        return
    brand, say = deck.brand, kit.wording.say
    opportunities = section.list("Opportunities")
    secured = kit.definition.secured_stage
    late = [row["opportunity"].text for row in opportunities.rows_with("past-close")]
    notes = (f"Walk the opportunities behind the chart. {len(late)} not {secured} are past their close date: "
             f"{', '.join(late)}; ask each owner for a new date or to drop it." if late else
             "Walk the opportunities behind the chart; none is past its close date. "
             "Ask each owner what the next step needs from the customer.")
    slide = deck.slide(view.headlines["opportunities"], notes, BASE_TITLES[6])
    if not opportunities.rows:
        deck.text(slide, Box(MARGIN, BODY_TOP + 8, CONTENT_W, 80), [
            Para(f"Fill in the opportunities on the '{section.sheet}' sheet of the workbook.", 16, True, brand.bad)],
            name="Missing")
        return
    stages = " · ".join(f"{s.label} {s.total.short} ({s.count})" for s in opportunities.subtotals("stage", "value"))
    deck.text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 30), [Para(stages, 14, True, brand.primary, max_lines=1)],
              name="By stage")
    cols = _columns(opportunities, OPPORTUNITIES)
    top, bottom = BODY_TOP + 34, BODY_BOTTOM - 30
    all_rows = _rows(brand, opportunities.rows, OPPORTUNITIES)
    size, pages = fit_table(cols, all_rows + [[""] * len(cols)], bottom - top, max_lines=2)
    if len(pages) == 1:
        shown = opportunities.summary(len(opportunities.rows), total="value")
    else:
        ranked = _rows(brand, opportunities.ranked("value"), OPPORTUNITIES)
        shown = opportunities.summary(_summarised(deck, cols, ranked, bottom - top - 26, 1, 1), "value", "value")
    rows = _rows(brand, shown.shown, OPPORTUNITIES) + [_total_row(kit, OPPORTUNITIES, "value", shown.total,
                                                                  len(opportunities.rows))]
    size, pages = fit_table(cols, rows, bottom - top - (26 if shown.rest_count else 0),
                            max_lines=1 if shown.rest_count else 2)
    table = deck.table(slide, MARGIN, top, cols, _bold_last(pages[0], brand), size, name=BASE_TITLES[6])
    below = top + table.height / 12700 + 4
    paras = []
    if shown.rest_count:
        paras.append(Para(say("list_rest", count=shown.rest_count, total=shown.rest_total.short), 13, True,
                          brand.primary, max_lines=1))
    paras.append(_note(deck, f"{'Largest first. ' if shown.rest_count else ''}Red close date: not {secured} and "
                             "past its close date. A probability left blank in the plan shows the stage's default; "
                             f"{WARNING} marks a value that could not be used.", 2))
    deck.text(slide, Box(MARGIN, below, CONTENT_W, BODY_BOTTOM + 8 - below), paras, name="Note", fit=True)


def _total_row(kit: Kit, widths: dict[str, float], attr: str, total, count: int) -> list:
    """The total of a list's money column, under it; the first column names it and counts the rows."""
    return [f"{kit.wording.mark('total')} ({count})" if i == 0 else (total.text if key == attr else "")
            for i, key in enumerate(widths)]


def _bold_last(rows: list[FittedRow], brand: Brand) -> list[FittedRow]:
    """The last row (a total) in bold, in the brand's primary colour on its light fill."""
    last = rows[-1]
    return rows[:-1] + [FittedRow(tuple(Cell(c.text, brand.primary, brand.light, True) for c in last.cells),
                                  last.height)]


# 8. Relationship map ------------------------------------------------------------------------------

STAKEHOLDER, ROLE, RELATIONSHIP = 190, 110, 118
TONE_WORDS = {GOOD: "green", FAIR: "amber", BAD: "red", UNKNOWN: "grey"}
"""How the notes name the colour of a tone (in the built-in brand)."""


def relationship_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    section = view.section("Relationships")
    if _skipped(section):
        return
    brand, d = deck.brand, kit.definition
    people = section.list("Stakeholders")
    stages = [c for c in people.columns if c.kind == schema.MARK]
    exposed = view.figure("exposed_stages").value
    stage_w = (CONTENT_W - STAKEHOLDER - ROLE - RELATIONSHIP) / len(stages)
    name, role, relationship = (people.column(attr) for attr in ("name", "role", "relationship"))
    cols = [Col(f"{name.header}, {people.column('title').header}", STAKEHOLDER), Col(role.header, ROLE),
            Col(relationship.header, RELATIONSHIP),
            *(Col(stage.header, stage_w, "center", brand.bad if stage.header in exposed else None) for stage in stages)]
    rows = [[_person(brand, row), _cell(brand, row["role"]), _cell(brand, row["relationship"]),
             *(_stage_cell(brand, row[stage.attr]) for stage in stages)] for row in people.rows]
    callout, _ = _relationship_callout(view, kit)
    legend = ", ".join(f"{TONE_WORDS[relationship_tone(r, d)]} {r}" for r in d.relationships)
    _table_slides(deck, BASE_TITLES[7], view.headlines["relationships"], (
        "Read the map across: each row is a person, each column a buying stage, the colour our relationship. "
        f"{callout} Ask who covers the stages with nobody friendly in them."), cols, rows, footnote=[_note(deck, (
            f"Colour: our relationship with that person ({legend}). A red stage header marks an exposed stage: "
            f"a {d.detractor} involved and no {d.supporter} or {d.trusted_advisor}."))], section=section)


def _person(brand: Brand, row) -> Cell | str:
    name, title = row["name"], row["title"]
    if name.invalid or title.invalid:
        return _cell(brand, name if name.invalid else title)
    return ", ".join(_given(cell) for cell in (name, title) if _given(cell))


def _stage_cell(brand: Brand, cell: ViewCell) -> Cell:
    """A stage the person takes part in, filled in the colour of our relationship with them."""
    if cell.invalid:
        return _cell(brand, cell)
    return Cell(cell.text, "FFFFFF", _colour(brand, cell.tone), True) if cell.value else Cell("")


def _relationship_callout(view: PlanView, kit: Kit) -> tuple[str, str]:
    """The one line the map must shout: exposed stages and a missing decision maker, or that all is well."""
    decides = kit.definition.decision_maker
    deciders = view.list("Stakeholders").rows_with("decision-maker")
    exposed = view.figure("exposed_stages")
    problems = []
    if not deciders:
        problems.append(f"No {decides} among the stakeholders")
    if exposed.value:
        problems.append(f"Exposed: {exposed.text}")
    if problems:
        return ". ".join(problems) + ".", BAD
    people = "; ".join(f"{row['name'].text} ({row['relationship'].text})" for row in deciders[:CALLOUT_PEOPLE])
    if len(deciders) > CALLOUT_PEOPLE:
        people += f" and {len(deciders) - CALLOUT_PEOPLE} more"
    return f"{decides}: {people}. No buying stage is exposed.", GOOD


CALLOUT_PEOPLE = 5
"""The decision makers the notes name on each page of the map; more are counted (the notes repeat on every
page, so naming thousands would make the deck grow with the square of the list)."""


# 9. Position and whitespace -----------------------------------------------------------------------

QUADRANTS = (("Target", "High potential, relationship to build", 0, 0),
             ("Key", "High potential, strong relationship", 1, 0),
             ("Maintained", "Low potential, relationship to build", 0, 1),
             ("Managed", "Low potential, strong relationship", 1, 1))
MATRIX = Box(MARGIN + 20, BODY_TOP + 30, 320, 280)
WHITESPACE = {"offering": 160, "business_unit": 120, "status": 110, "estimated_value": 0}


def position_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    section = view.section("Whitespace")
    if _skipped(section) and view.figure("position").value is None:
        return
    brand, say, open_value = deck.brand, kit.wording.say, view.figure("whitespace_open")
    slide = deck.slide(view.headlines["position"], (
        f"Place the account: {view.figure('position').value or 'not placed, the scores are missing'}. "
        f"Then the whitespace: {open_value.text} of open offerings nobody sells here yet."), BASE_TITLES[8])
    _matrix(deck, slide, view, kit)
    x = MATRIX.x + MATRIX.w + 44
    width = MARGIN + CONTENT_W - x
    if section.missing:
        deck.text(slide, Box(x, BODY_TOP, width, 120), [
            Para(section.missing_text, 14, colour=brand.muted, max_lines=4)], name="Missing section")
        return
    deck.text(slide, Box(x, BODY_TOP, width, 36), [
        Para(f"{open_value.label}: {open_value.short}", 16, True, brand.accent, max_lines=1)], name="Summary")
    whitespace = section.list("Whitespace")
    widths = {**WHITESPACE, "estimated_value": width - sum(WHITESPACE.values())}
    cols = _columns(whitespace, widths)
    top, bottom = BODY_TOP + 40, BODY_BOTTOM - 28 - _strip_height(section)
    _own_strip(deck, slide, section, x)
    size, pages = fit_table(cols, _rows(brand, whitespace.rows, widths) + [[""] * len(cols)], bottom - top)
    count = len(whitespace.rows) if len(pages) == 1 else \
        _summarised(deck, cols, _rows(brand, whitespace.rows, widths), bottom - top, 1, 3)
    shown = whitespace.summary(count, total="estimated_value")
    rows = _rows(brand, shown.shown, widths) + [_total_row(kit, widths, "estimated_value", shown.total,
                                                           len(whitespace.rows))]
    size, pages = fit_table(cols, rows, bottom - top, sizes=(14.0, 13.0, 12.0, TABLE_SIZE))
    table = deck.table(slide, x, top, cols, _bold_last(pages[0], brand), size, name="Whitespace")
    if shown.rest_count:
        below = top + table.height / 12700 + 4
        deck.text(slide, Box(x, below, width, 24), [_note(deck, say(
            "list_rest", count=shown.rest_count, total=shown.rest_total.short), 1)], name="Note")


def _matrix(deck: DeckFile, slide, view: PlanView, kit: Kit) -> None:
    """The 2x2 of potential against relationship, this account's quadrant filled and marked."""
    brand, position = deck.brand, view.figure("position").value
    w, h = MATRIX.w / 2, MATRIX.h / 2
    for name, caption, col, row in QUADRANTS:
        mine = name == position
        deck.text(slide, Box(MATRIX.x + col * w + 2, MATRIX.y + row * h + 2, w - 4, h - 4), [
            Para(name, 18, True, "FFFFFF" if mine else brand.primary, max_lines=1, align="center"),
            Para(caption, 11, colour="FFFFFF" if mine else brand.muted, max_lines=2, align="center"),
            *([Para(f"◆ {'This account' if view.account_missing else view.account}", 12, True, "FFFFFF",
                    max_lines=2, space_before=8, align="center")] if mine else []),
        ], name=f"Quadrant {name}", fill=brand.accent if mine else brand.light, anchor=MSO_ANCHOR.MIDDLE)
    deck.text(slide, Box(MATRIX.x - 20, BODY_TOP, MATRIX.w + 20, 26), [
        Para("↑ Potential", 12, True, brand.muted, max_lines=1)], name="Potential axis")
    deck.text(slide, Box(MATRIX.x, MATRIX.y + MATRIX.h + 2, MATRIX.w, 24), [
        Para("Relationship →", 12, True, brand.muted, max_lines=1, align="right")], name="Relationship axis")
    scores = (f"Relationship {view.fact('relationship_score').text} of 5, potential "
              f"{view.fact('potential_score').text} of 5")
    deck.text(slide, Box(MATRIX.x - 20, MATRIX.y + MATRIX.h + 28, MATRIX.w + 20, 40), [
        Para(scores if position else kit.wording.mark("not_placed"), 13, bold=not position,
             colour=None if position else brand.bad, max_lines=2)], name="Scores")


# 10-12. Competition, pressure test, risks ---------------------------------------------------------

COMPETITORS = {"competitor": 150, "strengths": 190, "weaknesses": 190, "where_present": 150,
               "our_response": CONTENT_W - 680}
QUESTIONS = {"question": 400, "answer": 110, "evidence": CONTENT_W - 510}
RISKS = {"risk": 220, "impact": 80, "likelihood": 90, "mitigation": 240, "owner": 130, "due_date": CONTENT_W - 760}


def competition_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    section = view.section("Competition")
    if _skipped(section):
        return
    competitors = section.list("Competitors")
    _table_slides(deck, BASE_TITLES[9], view.headlines["competition"],
                  "Name who else is in the account, where, and how we answer each one. "
                  "Ask whether our response is already in motion.", _columns(competitors, COMPETITORS),
                  _rows(deck.brand, competitors.rows, COMPETITORS), section=section)


def pressure_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    section = view.section("Pressure test")
    if _skipped(section):
        return
    d, readiness = kit.definition, view.figure("readiness")
    questions = section.list("PressureTest")
    _table_slides(deck, BASE_TITLES[10], view.headlines["pressure_test"], (
        f"{readiness.label} is {readiness.text}: {d.yes} counts fully, {d.partly} half. Spend the time on the "
        f"answers short of {d.yes}, and ask for the evidence behind each {d.yes}."), _columns(questions, QUESTIONS),
        _rows(deck.brand, questions.rows, QUESTIONS), section=section)


def risk_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    section = view.section("Risks")
    if _skipped(section):
        return
    _summary_slide(deck, kit, BASE_TITLES[11], view.headlines["risks"],
                   "High-impact risks come first. For each, check there is a mitigation with an owner and a date; "
                   "red marks the ones that have none.", section.list("Risks"), RISKS, section=section)


def _summary_slide(deck: DeckFile, kit: Kit, topic: str, title: str, notes: str, listed: ListView,
                   widths: dict[str, float], rows=None, intro: list[Para] | None = None,
                   section: SectionView | None = None) -> None:
    """A list that is not the slide's point on one slide: its first rows, as large as they fit, and how many
    more the plan document has; the kit's own fields of its `section` at the foot."""
    rows = listed.rows if rows is None else rows
    cols = _columns(listed, widths)
    slide = deck.slide(title, notes, topic)
    top = BODY_TOP + (40 if intro else 0)
    if intro:
        deck.text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 38), intro, name="Summary")
    bottom = BODY_BOTTOM - 26 - _strip_height(section)
    _own_strip(deck, slide, section, MARGIN)
    cells = _rows(deck.brand, rows, widths)
    size, pages = fit_table(cols, cells, bottom - top)
    count = len(rows)
    if len(pages) > 1:  # the first rows that fit, at the smallest size
        count = _summarised(deck, cols, cells, bottom - top, max_lines=3)
        size, pages = fit_table(cols, cells[:count], bottom - top)
    table = deck.table(slide, MARGIN, top, cols, pages[0], size, name=topic)
    if count < len(rows):
        below = top + table.height / 12700 + 4
        deck.text(slide, Box(MARGIN, below, CONTENT_W, 24), [Para(kit.wording.say(
            "list_rest_count", count=len(rows) - count), 13, True, deck.brand.primary, max_lines=1)], name="Note")


# 13. Action plan ----------------------------------------------------------------------------------

ACTIONS = {"due_date": 130, "action": 270, "owner": 130, "status": 110, "purpose": 120, "linked_to": CONTENT_W - 760}


def action_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    section = view.section("Action plan")
    if _skipped(section):
        return
    actions = section.list("Actions")
    opened = actions.rows_with("open")
    overdue, blocked = view.figure("actions_overdue"), view.figure("actions_blocked")
    _summary_slide(deck, kit, BASE_TITLES[12], view.headlines["actions"], (
        f"Open actions, earliest first. {overdue.text} overdue and {blocked.text} blocked are marked in red: "
        "ask what unblocks each, and get a new date from its owner."), actions, ACTIONS, opened or actions.rows,
        intro=[Para(view.action_summary, 16, True, deck.brand.bad if overdue.value or blocked.value else
                    deck.brand.accent, max_lines=1)], section=section)


# 14. Account team and relationship health --------------------------------------------------------

TEAM = {"role": 120, "name": 120, "commitment": 150}
SIGNALS = {"signal": 130, "direction": 90, "evidence": CONTENT_W - GAP - 390 - 310, "observed_on": 90}


def team_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    halves = [(view.section(name), table, widths) for name, table, widths in (
        ("Account team", "AccountTeam", TEAM), ("Relationship health", "HealthSignals", SIGNALS))]
    if all(_skipped(section) for section, _, _ in halves):
        return
    height = BODY_BOTTOM - BODY_TOP - 30 - max(_strip_height(section) for section, _, _ in halves)
    tables = [(section, _columns(section.list(table), widths), _rows(deck.brand, section.list(table).rows, widths))
              for section, table, widths in halves]
    sizes = (14.0, 13.0, 12.0, TABLE_SIZE)
    whole = [size for size in sizes if all(fits_whole(cols, rows, height, size) for _, cols, rows in tables)]
    fit = [size for size in sizes if all(len(paginate(cols, rows, height, size)) == 1 for _, cols, rows in tables)]
    size = (whole or fit or [TABLE_SIZE])[0]  # one size for both halves: the largest at which both fit whole
    laid = [(section, cols, paginate(cols, rows, height, size)) for section, cols, rows in tables]
    pages = max(len(pages) for _, _, pages in laid)
    if pages == 1:  # one slide: both tables use its room
        laid = [(section, cols, [spread(cols, p[0], height, size)]) for section, cols, p in laid]
    notes = ("Who on our side works the account, and in which role; then the signals that the relationship is "
             "getting stronger or weaker. Ask about any weakening signal and any empty role.")
    x_health = MARGIN + CONTENT_W - sum(SIGNALS.values())
    for number in range(pages):
        slide = deck.slide(view.headlines["team"], notes, _numbered(BASE_TITLES[13], number + 1, pages))
        for x, (section, cols, section_pages) in zip((MARGIN, x_health), laid):
            _half(deck, slide, x, section, cols, section_pages, number, size)
            if number == 0:
                _own_strip(deck, slide, section, x)


def _half(deck: DeckFile, slide, x: float, section: SectionView, cols: list[Col], pages: list, number: int,
          size: float) -> None:
    width = sum(c.width for c in cols)
    deck.text(slide, Box(x, BODY_TOP, width, 28), [Para(section.name, 16, True, deck.brand.primary, max_lines=1)],
              name=f"{section.name} heading")
    if section.missing:
        deck.text(slide, Box(x, BODY_TOP + 30, width, 90), [
            Para(section.missing_text, 14, colour=deck.brand.muted, max_lines=4)], name="Missing section")
    elif number < len(pages) and pages[number]:
        deck.table(slide, x, BODY_TOP + 30, cols, pages[number], size, name=section.name)


# 15. Leadership questions -------------------------------------------------------------------------

def questions_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    if all(line.gap for answer in view.answers for line in answer.lines):
        return  # the plan answers none: the "Not ready for review" slide says what is missing
    brand = deck.brand
    slide = deck.slide(view.headlines["answers"], (
        "Close with the three questions leaders ask. Each answer comes from the plan's own data; red lines are "
        "what the plan does not say yet. Agree who fills each gap before the next review."), BASE_TITLES[14])
    width = (CONTENT_W - 2 * GAP) / 3
    panels = []
    for i, answer in enumerate(view.answers):
        box = Box(MARGIN + i * (width + GAP), BODY_TOP + 4, width, BODY_BOTTOM - BODY_TOP - 4)
        panels.append(deck.text(slide, box, [
            Para(answer.question, 20, True, brand.primary, max_lines=2),
            *(Para(line.text, 16, colour=brand.bad if line.gap else None, bold=line.gap, max_lines=5,
                   space_before=12) for line in answer.lines)], name=f"Question {i + 1}", fill=brand.light, fit=True))
    tallest = max(panel.height for panel in panels)
    for panel in panels:  # side by side, as tall as the longest answer
        panel.height = tallest


# 16. Plan health ----------------------------------------------------------------------------------

SECTION_COLS = [Col("Section", 170), Col("Complete", 80, "right"), Col("Status", 110)]
FINDING_COLS = [Col("Severity", 80), Col("Where", 150), Col("Finding", CONTENT_W - 360 - GAP - 230)]


def health_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    brand, mark, complete = deck.brand, kit.wording.mark, view.figure("completeness")
    slide = deck.slide(view.headlines["health"], (
        f"The plan is {complete.text} complete. Name the missing and incomplete sections, then the top "
        "findings with their cells, so the rep knows exactly what to fix in the workbook."), BASE_TITLES[15])
    missing = [s.name for s in view.sections if s.missing]
    incomplete = [s.name for s in view.sections if s.incomplete]
    gaps = "; ".join(f"{mark(status).lower()}: {', '.join(names)}"
                     for status, names in (("missing", missing), ("incomplete", incomplete)) if names)
    deck.text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 40), [
        Para(f"{complete.label}: {complete.text}" + (f" · {gaps}" if gaps else " · every section filled"), 14,
             True, brand.bad if gaps else brand.good, max_lines=2)], name="Summary")
    rows = [[s.name, s.share_text, _cell(brand, s.status_cell)] for s in view.sections]
    top = BODY_TOP + 44
    size, pages = fit_table(SECTION_COLS, rows, BODY_BOTTOM - top, sizes=(12.0, 11.0, 10.0), max_lines=1)
    deck.table(slide, MARGIN, top, SECTION_COLS, pages[0], size, name="Completeness")
    _findings(deck, slide, view, MARGIN + 360 + GAP, top)


def _findings(deck: DeckFile, slide, view: PlanView, x: float, top: float) -> None:
    """As many findings as fit, most serious first, each with the cell to look at."""
    brand = deck.brand
    width = sum(col.width for col in FINDING_COLS)
    if not view.findings:
        deck.text(slide, Box(x, top, width, 40), [Para("No findings: the plan passes every check.", 14, True,
                                                       brand.good)], name="Findings")
        return
    rows = [[Cell(f.severity.capitalize(), _colour(brand, f.tone), bold=True), f.where, f.message]
            for f in view.findings]
    shown = paginate(FINDING_COLS, rows, BODY_BOTTOM - top - 30, size=10, max_lines=2, balance=False)[0]
    deck.table(slide, x, top, FINDING_COLS, shown, size=10, name="Findings")
    if len(shown) < len(rows):
        deck.text(slide, Box(x, BODY_BOTTOM - 28, width, 28), [_note(
            deck, f"{len(rows) - len(shown)} more findings: see the checked workbook or `accountplan validate`.")],
            name="Note")


# A kit's own fields and sections -----------------------------------------------------------------
# A kit adds fields to built-in sections and sections of its own (README, "Kits"): the Account's own fields
# go on the cover, the Objective's in its facts, another built-in section's at the foot of its slide (a strip
# of "label, value" tiles); what has no slide of its own (Five components, Review log, the Account's past the
# fifth, a section's past what its strip holds) goes on "More from the plan"; each section of the kit's own
# gets a generic slide, in the definition's order, before plan health.

COVER_EXTRAS = 5            # the Account's own fields the cover shows, a column each; the rest go on "More"
SHOWN_ELSEWHERE = {"Objective"}  # built-in sections whose slide shows all of their own fields
STRIP_WIDTHS = {
    "Customer agenda": CONTENT_W, "Path to the number": CHART_W, "Relationships": CONTENT_W,
    "Whitespace": MARGIN + CONTENT_W - (MATRIX.x + MATRIX.w + 44), "Competition": CONTENT_W,
    "Pressure test": CONTENT_W, "Risks": CONTENT_W, "Action plan": CONTENT_W,
    "Account team": sum(TEAM.values()), "Relationship health": sum(SIGNALS.values()),
}
"""The built-in sections whose slide shows the kit's own fields in a strip at its foot, and the strip's width
(under the chart on the path to the number, under its half on the team slide, the whitespace's column)."""
STRIP_H, STRIP_GAP, STRIP_ROWS = 34.0, 8.0, 2       # a tile's height, the gaps, at most two rows of tiles
STRIP_MIN_W, STRIP_MAX_W = 150.0, 280.0             # a tile's width: the strip's shared out, within these


def _strip_layout(section: SectionView | None) -> tuple[tuple[FieldView, ...], int]:
    """The kit's own fields of `section` that its slide's strip shows (at most `STRIP_ROWS` rows), and how
    many go on a row; none for a section without a strip, or left blank (it has no slide)."""
    width = STRIP_WIDTHS.get(section.name) if section is not None else None
    items = own_fields(section) if width and not section.missing else ()
    if not items:
        return (), 1
    per_row = max(1, min(len(items), int((width + STRIP_GAP) // (STRIP_MIN_W + STRIP_GAP))))
    return items[:per_row * STRIP_ROWS], per_row


def _strip_height(section: SectionView | None) -> float:
    """The room the strip of `section`'s own fields takes at the foot of the body, the gap above it included."""
    items, per_row = _strip_layout(section)
    return math.ceil(len(items) / per_row) * (STRIP_H + STRIP_GAP)


def _own_strip(deck: DeckFile, slide, section: SectionView | None, x: float) -> None:
    """The kit's own fields of a built-in section at the foot of its slide, from `x`: a light tile each, its
    label small above its value, side by side (a value that could not be used in red, marked)."""
    items, per_row = _strip_layout(section)
    if not items:
        return
    brand, width = deck.brand, STRIP_WIDTHS[section.name]
    w = min(STRIP_MAX_W, (width - STRIP_GAP * (per_row - 1)) / per_row)
    top = BODY_BOTTOM - _strip_height(section) + STRIP_GAP
    for i, item in enumerate(items):
        row, col = divmod(i, per_row)
        value = _cell(brand, item.cell)
        deck.text(slide, Box(x + col * (w + STRIP_GAP), top + row * (STRIP_H + STRIP_GAP), w, STRIP_H), [
            Para(item.label, 10, colour=brand.muted, max_lines=1),
            Para(value.text, 12, value.bold, value.colour, max_lines=1)], name=f"Field {item.name}", fill=brand.light)
LOGO = Box(SLIDE_W - MARGIN - 160, 20, 160, 60)   # the kit's logo, top right of the cover, aspect kept
ITEM_COLS = {"Section": 210, "Item": 240}


def own_fields(section: SectionView) -> tuple[FieldView, ...]:
    """The fields a kit adds to a section (every field of a section of the kit's own)."""
    return tuple(item for item in section.fields if item.name not in schema.FIELDS)


def own_sections(view: PlanView) -> tuple[SectionView, ...]:
    """The sections of the kit's own, in the definition's order."""
    return tuple(s for s in view.sections if s.name not in schema.SECTION_BY_NAME)


def _cover_extras(deck: DeckFile, slide, view: PlanView, top: float) -> None:
    """The Account's own fields under the cover's facts, a column each (the first `COVER_EXTRAS`)."""
    account = next((s for s in view.sections if s.name == "Account"), None)
    extras = own_fields(account)[:COVER_EXTRAS] if account else ()
    if not extras:
        return
    cols = [Col(item.label, CONTENT_W / COVER_EXTRAS) for item in extras]
    size, pages = fit_table(cols, [[_cell(deck.brand, item.cell) for item in extras]], BODY_BOTTOM - top,
                            sizes=(14.0, 13.0, 12.0, TABLE_SIZE), max_lines=2)
    deck.table(slide, MARGIN, top, cols, pages[0], size, name="More facts")


def _logo(deck: DeckFile, slide, kit: Kit) -> None:
    """The kit's logo in the cover's top right corner, as large as `LOGO` allows, its aspect ratio kept; none
    when the cover's layout in the kit's deck.pptx shows a picture of its own (its logo: not twice)."""
    if kit.logo is None or deck.cover_has_picture:
        return
    from PIL import Image

    with Image.open(kit.logo) as image:
        width, height = image.size
    scale = min(LOGO.w / width, LOGO.h / height)
    w, h = width * scale, height * scale
    picture = slide.shapes.add_picture(str(kit.logo), Pt(LOGO.x + LOGO.w - w), Pt(LOGO.y), Pt(w), Pt(h))
    picture.name = "Logo"


def more_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    """The kit's own fields of built-in sections that no slide shows yet, with their section."""
    rows = []
    for section in view.sections:
        if section.name not in schema.SECTION_BY_NAME or section.name in SHOWN_ELSEWHERE or section.missing:
            continue
        shown = own_fields(section)[:COVER_EXTRAS] if section.name == "Account" else _strip_layout(section)[0]
        items = own_fields(section)[len(shown):]
        rows += [[section.name, item.label, _cell(deck.brand, item.cell)] for item in items]
    if not rows:
        return
    cols = [Col("Section", ITEM_COLS["Section"]), Col("Item", ITEM_COLS["Item"]),
            Col("In the plan", CONTENT_W - sum(ITEM_COLS.values()))]
    _table_slides(deck, "More from the plan", "More from the plan",
                  "The fields this company's plans add to the built-in sections, as the rep filled them in.",
                  cols, rows)


def kit_section_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    """A generic slide for each section of the kit's own that is filled in: its fields, then its lists."""
    for section in own_sections(view):
        if not _skipped(section):
            _generic_slide(deck, kit, section)


def _generic_slide(deck: DeckFile, kit: Kit, section: SectionView) -> None:
    """A section's fields as a facts table, then each of its lists as a table with the definition's columns,
    a long one summarised (its first rows, and how many more the plan document has)."""
    brand = deck.brand
    slide = deck.slide(section.purpose or section.name, (
        f"{section.name}: {section.purpose or 'a section of this company’s own plan'} Walk through what the "
        "plan says here, and ask about anything left blank."), section.name)
    top = BODY_TOP
    items = own_fields(section)
    parts = len(section.lists) + (1 if items else 0)
    if items:
        cols = [Col("Item", 240), Col("In the plan", CONTENT_W - 240)]
        rows = [[item.label, _cell(brand, item.cell)] for item in items]
        room = (BODY_BOTTOM - top) / parts if section.lists else BODY_BOTTOM - top
        size, pages = fit_table(cols, rows, room, max_lines=2)
        table = deck.table(slide, MARGIN, top, cols, pages[0], size, name=f"{section.name} facts")
        top += table.height / 12700 + 12
    for i, listed in enumerate(section.lists):
        room = (BODY_BOTTOM - top) / (len(section.lists) - i)
        top = _generic_list(deck, kit, slide, listed, top, room, heading=parts > 1) + 12


def _generic_list(deck: DeckFile, kit: Kit, slide, listed: ListView, top: float, room: float,
                  heading: bool) -> float:
    """One list in `room` from `top`: as many rows as fit, then how many more; returns where it ends."""
    brand = deck.brand
    if heading:
        deck.text(slide, Box(MARGIN, top, CONTENT_W, 24), [Para(listed.table, 14, True, brand.primary, max_lines=1)],
                  name=f"{listed.table} heading")
        top, room = top + 26, room - 26
    if not listed.rows:
        deck.text(slide, Box(MARGIN, top, CONTENT_W, 24), [_note(deck, "None listed yet.", 1, 13)],
                  name=listed.table)
        return top + 24
    total = sum(c.width for c in listed.columns) or 1
    cols = [Col(c.header, CONTENT_W * c.width / total, "right" if c.right_aligned else "left")
            for c in listed.columns]
    cells = [[_cell(brand, row[c.attr]) for c in listed.columns] for row in listed.rows]
    height = room - 26
    size, pages = fit_table(cols, cells, height)
    count = len(cells)
    if len(pages) > 1:
        count = _summarised(deck, cols, cells, height, max_lines=3)
        size, pages = fit_table(cols, cells[:count], height)
    table = deck.table(slide, MARGIN, top, cols, pages[0], size, name=listed.table)
    below = top + table.height / 12700
    if count < len(cells):
        deck.text(slide, Box(MARGIN, below + 4, CONTENT_W, 22), [_note(deck, kit.wording.say(
            "list_rest_count", count=len(cells) - count), 1)], name=f"{listed.table} note")
        below += 26
    return below


# 1a. What changed since the last version (`build --since`) ----------------------------------------

CHANGED_FIGURES = {"header_figure": 140, "header_before": 100, "header_after": 100}    # widths, by words' key
CHANGED_LISTS = {"header_area": 120, "header_change": 100}


def changes_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    """What changed since the earlier version the build was given: the one-line summary as the title, the
    figures that moved before → after, and each list's changes with their first names (the view's
    `changes`, laid out as the document and the checked workbook do; words: the kit's `wording.diff`)."""
    changes = view.changes
    if changes is None:
        return
    from ..diff import overview_rows, since_title      # only a build --since needs it
    words = kit.wording.diff
    headline = "; ".join(changes.summary_parts[:2]) or changes.summary    # the finding: what moved most
    slide = deck.slide(headline[:1].upper() + headline[1:], words["slide_notes"].format(summary=changes.summary),
                       since_title(changes))
    x = MARGIN
    if changes.figures:
        cols = [Col(words[key], w, "left" if key == "header_figure" else "right") for key, w in CHANGED_FIGURES.items()]
        rows = [[c.label, c.before_text, c.after_text] for c in changes.figures]
        size, pages = fit_table(cols, rows, BODY_BOTTOM - BODY_TOP, sizes=(14.0, 13.0, 12.0, TABLE_SIZE), max_lines=2)
        deck.table(slide, x, BODY_TOP, cols, pages[0], size, name="Figures changed")
        x += sum(CHANGED_FIGURES.values()) + GAP
    width = MARGIN + CONTENT_W - x
    overview = overview_rows(changes)
    if not overview:
        if not changes.figures:
            deck.text(slide, Box(x, BODY_TOP, width, 30), [_note(deck, changes.summary, 1, 14)], name="Changes")
        return
    cols = [Col(words[key], w) for key, w in CHANGED_LISTS.items()] + [
        Col(words["header_top_items"], width - sum(CHANGED_LISTS.values()))]
    rows = [list(row) for row in overview]
    height = BODY_BOTTOM - BODY_TOP - 26
    size, pages = fit_table(cols, rows, height, max_lines=2)
    count = len(rows)
    if len(pages) > 1:
        count = _summarised(deck, cols, rows, height)
        size, pages = fit_table(cols, rows[:count], height, max_lines=2)
    table = deck.table(slide, x, BODY_TOP, cols, pages[0], size, name="Changes")
    if count < len(rows):
        below = BODY_TOP + table.height / 12700 + 4
        deck.text(slide, Box(x, below, width, 22), [_note(deck, kit.wording.say(
            "list_rest_count", count=len(rows) - count), 1)], name="More changes")


SLIDES = (title_slide, changes_slide, summary_slide, not_ready_slide, objective_slide, agenda_slide, path_slide,
          opportunities_slide, relationship_slides, position_slide, competition_slides, pressure_slides, risk_slide,
          action_slide, team_slides, questions_slide, more_slides, kit_section_slides, health_slide)

