"""The review deck: one slide per part of the plan, in a fixed order, for an account review meeting.

Every slide has a title, the account and plan period in the footer, a slide number and speaker notes that
tell the presenter what to point at. A section the rep left blank still gets its slide, saying so; long
lists continue on further slides ("Opportunities (2 of 3)"). Numbers come from `result.figures` through
`fmt`, so the deck reads the same as the document and the checked workbook.
"""
from __future__ import annotations

from pathlib import Path

from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.util import Pt

from . import fmt, schema
from .brand import BRAND
from .deck_parts import (BODY_BOTTOM, BODY_TOP, CONTENT_W, MARGIN, Box, Cell, Col, DatedChartData, DeckFile,
                         Para, add_table, add_text, paginate, rgb)
from .model import stages_of
from .pipeline import Result

BASE_TITLES = (
    "Account review",
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
"""The slides in order; a long list adds continuation slides titled e.g. `Opportunities (2 of 3)`."""

WATERFALL = ("Secured", "Forecast", "Pipeline", "Prospect", "Gap to target", "Target")
"""Categories of the path-to-the-number chart; the series of the same names carry the figures."""

SHORT_RELATIONSHIP = {"Trusted advisor": "Trusted", "Building trust": "Building", "Poor": "Poor"}
LEVEL_ORDER = {level: i for i, level in enumerate(schema.LEVELS)}
GAP = 16.0  # space between side-by-side blocks


def render(result: Result, path: Path) -> None:
    """Write the review deck of `result` to `path` (.pptx)."""
    plan, figures = result.plan, result.figures
    footer = f"{plan.account_name or 'Account name missing'} · {plan.value('plan_period') or 'plan period missing'}"
    deck = DeckFile(footer)
    for slide_maker in SLIDES:
        slide_maker(deck, result)
    deck.save(path, figures.as_of, plan.account_name, plan.value("account_owner") or "")


# Shared pieces ------------------------------------------------------------------------------------

def _money(result: Result, value) -> str:
    return fmt.money(value, result.figures.currency)


def _numbered(title: str, page: int, pages: int) -> str:
    return title if pages == 1 else f"{title} ({page} of {pages})"


def _is_missing(result: Result, section: str) -> bool:
    return section in result.figures.completeness.missing


def _missing_slide(deck: DeckFile, title: str, section: str, headline: str = "") -> None:
    """A slide that says plainly what the plan lacks, and where the rep fills it in."""
    spec = schema.SECTION_BY_NAME[section]
    headline = headline or f"The {section} section is missing in the plan."
    slide = deck.slide(title, f"{headline} Say so plainly, and agree who fills in the '{spec.sheet}' sheet "
                              "before the next review. Do not guess the content in the meeting.")
    add_text(slide, Box(MARGIN, BODY_TOP + 60, CONTENT_W, 200), [
        Para(headline, 28, True, BRAND.bad, max_lines=2),
        Para(f"Fill in the '{spec.sheet}' sheet of the workbook. It holds {spec.purpose[0].lower()}{spec.purpose[1:]}",
             16,
             colour=BRAND.muted, space_before=12),
    ], name="Missing section")


def _table_slides(deck: DeckFile, title: str, notes: str, cols: list[Col], rows: list[list],
                  intro: list[Para] | None = None, footnote: list[Para] | None = None, max_lines: int = 3) -> None:
    """A table on as many slides as it needs, with an optional line above and a note below on each."""
    top = BODY_TOP + (44 if intro else 0)
    bottom = BODY_BOTTOM - (40 if footnote else 0)
    pages = paginate(cols, rows, bottom - top, max_lines=max_lines)
    for number, page in enumerate(pages, 1):
        slide = deck.slide(_numbered(title, number, len(pages)), notes)
        if intro:
            add_text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 42), intro, name="Summary")
        add_table(slide, MARGIN, top, cols, page, name=title)
        if footnote:
            add_text(slide, Box(MARGIN, bottom + 4, CONTENT_W, 36), footnote, name="Note")


def _note(text: str, max_lines: int = 2) -> Para:
    return Para(text, 11, colour=BRAND.muted, max_lines=max_lines)


def _text(value) -> str:
    return " ".join(fmt.text(value).split())


# 1. Title -----------------------------------------------------------------------------------------

def title_slide(deck: DeckFile, result: Result) -> None:
    plan, figures = result.plan, result.figures
    slide = deck.slide(BASE_TITLES[0], (
        f"Open with the account, who owns the plan and where it sits: a {figures.position or 'not yet rated'} "
        f"account for {plan.value('plan_period') or 'an unnamed period'}. The figures are as of "
        f"{fmt.date(figures.as_of)}; the plan itself is dated {fmt.date(plan.value('plan_date'))}."))
    where = " · ".join(v for v in (plan.value("industry"), plan.value("region")) if v)
    add_text(slide, Box(MARGIN, BODY_TOP + 50, CONTENT_W, 150), [
        Para(plan.account_name or "Account name missing in the plan", 40, True, BRAND.primary, max_lines=2),
        Para(where, 18, colour=BRAND.muted, max_lines=1, space_before=6),
    ], name="Account")
    cols = [Col(h, CONTENT_W / 5) for h in ("Account owner", "Plan period", "Position", "Plan date", "As of")]
    position = Cell(figures.position, "FFFFFF", BRAND.accent, True) if figures.position \
        else Cell("Scores missing", BRAND.bad, bold=True)
    values = [_text(plan.value("account_owner")), _text(plan.value("plan_period")), position,
              fmt.date(plan.value("plan_date")), fmt.date(figures.as_of)]
    add_table(slide, MARGIN, 330, cols, paginate(cols, [values], 120, size=14)[0], size=14, name="Facts")


# 2. Objective -------------------------------------------------------------------------------------

def objective_slide(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[1]
    if _is_missing(result, "Objective"):
        return _missing_slide(deck, title, "Objective")
    plan, figures = result.plan, result.figures
    value, gap = plan.value("objective_value"), figures.gap_to_target
    slide = deck.slide(title, (
        f"State the one objective this plan exists to win. Compare its value ({_money(result, value)}) "
        f"with the gap to target ({_money(result, gap)}), then give the reason to act now and who sponsors it."))
    add_text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 110), [
        Para(plan.value("objective_title") or "Objective title missing in the plan", 24, True, BRAND.primary,
             max_lines=2),
        Para(_text(plan.value("objective_description")), 14, max_lines=2, space_before=4),
    ], name="Objective")
    cols = [Col("Item", 150), Col("In the plan", 420)]
    rows = [["Value", _money(result, value)], ["Decision date", fmt.date(plan.value("objective_decision_date"))],
            ["Sponsor", _text(plan.value("objective_sponsor"))], ["Why now", _missing_text(
                plan.value("objective_why_now"), "No reason to act now in the plan")]]
    add_table(slide, MARGIN, 210, cols, paginate(cols, rows, 280, max_lines=6)[0], name="Objective facts")
    add_text(slide, Box(MARGIN + 570 + GAP * 2, 210, CONTENT_W - 570 - GAP * 2, 280), [
        Para("Value against the gap", 16, True, BRAND.primary, max_lines=1),
        Para("Objective value", 12, colour=BRAND.muted, max_lines=1, space_before=10),
        Para(_money(result, value), 28, True, BRAND.accent, max_lines=1),
        Para("Gap to target", 12, colour=BRAND.muted, max_lines=1, space_before=10),
        Para(_money(result, gap), 28, True, BRAND.gap, max_lines=1),
        Para("Gap to target: annual target less what is secured.", 11, colour=BRAND.muted, space_before=10),
    ], name="Value against gap", fill=BRAND.light)


def _missing_text(value, message: str) -> Cell:
    return Cell(_text(value)) if value not in (None, "") else Cell(message, BRAND.bad, bold=True)


# 3. Customer agenda -------------------------------------------------------------------------------

def agenda_slide(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[2]
    if _is_missing(result, "Customer agenda"):
        return _missing_slide(deck, title, "Customer agenda")
    cols = [Col("Priority", 200), Col("Category", 140), Col("Detail", 200), Col("How we help", 228),
            Col("Validated", 120)]
    rows = [[p.priority or "", _text(p.category), _text(p.detail), _text(p.how_we_help),
             Cell("Validated", BRAND.good, bold=True) if p.validated == "Yes" else Cell("Not validated",
                                                                                         BRAND.muted)]
            for p in result.plan.priorities]
    _table_slides(deck, title, (
        "Start from the customer's priorities, in their words, and how we help with each. Green ones were "
        "validated with the customer; ask how the others will be checked."), cols, rows)


# 4. Path to the number ----------------------------------------------------------------------------

def path_slide(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[3]
    if _is_missing(result, "Path to the number"):
        return _missing_slide(deck, title, "Path to the number")
    f = result.figures
    slide = deck.slide(title, (
        f"Start at the Secured bar ({_money(result, f.secured)}), then the red gap to target "
        f"({_money(result, f.gap_to_target)}). Forecast, pipeline and prospect stack up beside it: weighted by "
        f"probability they are worth {_money(result, f.weighted_open)}, which leaves "
        f"{_money(result, f.uncovered_gap)} uncovered. Ask what closes that."))
    _waterfall(slide, result, Box(MARGIN, BODY_TOP, 560, BODY_BOTTOM - BODY_TOP))
    cols = [Col("Figure", 170), Col("Value", CONTENT_W - 560 - GAP - 170, "right")]
    rows = [["Annual target", _money(result, f.annual_target)], ["Secured", _money(result, f.secured)],
            [Cell("Gap to target", BRAND.gap, bold=True), Cell(_money(result, f.gap_to_target), BRAND.gap,
                                                               bold=True)],
            ["Weighted open", _money(result, f.weighted_open)], ["Uncovered gap", _money(result, f.uncovered_gap)],
            ["Pipeline coverage", fmt.times(f.pipeline_coverage)],
            ["Growth vs prior year", fmt.signed_share(f.growth_vs_prior)]]
    x = MARGIN + 560 + GAP
    add_table(slide, x, BODY_TOP, cols, paginate(cols, rows, 300, size=13)[0], size=13, name="Key figures")
    add_text(slide, Box(x, 330, CONTENT_W - 560 - GAP, 110), [_note(
        "Weighted open: forecast, pipeline and prospect times their probability. Coverage: all open value "
        "against the gap to target.", max_lines=6)], name="Note")


def _waterfall(slide, result: Result, box: Box) -> None:
    """A bridge drawn as stacked columns on an invisible base; each figure is its own editable series."""
    f = result.figures
    data = DatedChartData(f.as_of, fmt.money_format(f.currency))
    data.categories = WATERFALL
    base = [None, f.secured, f.secured + f.forecast, f.secured + f.forecast + f.pipeline,
            f.secured if f.gap_to_target else None, None]
    data.add_series("Base", base)
    colours = {"Secured": BRAND.secured, "Forecast": BRAND.forecast, "Pipeline": BRAND.pipeline,
               "Prospect": BRAND.prospect, "Gap to target": BRAND.gap, "Target": BRAND.muted}
    figures = (f.secured, f.forecast, f.pipeline, f.prospect, f.gap_to_target, f.annual_target)
    for i, (name, value) in enumerate(zip(WATERFALL, figures)):
        data.add_series(name, [value if j == i else None for j in range(len(WATERFALL))])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_STACKED, *box.emu, data).chart
    chart.has_legend = False
    chart.font.size, chart.font.name = Pt(11), BRAND.font
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 50, 100
    for series in plot.series:
        if series.name == "Base":
            series.format.fill.background()
            series.format.line.fill.background()
            continue
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(colours[series.name])
        labels = series.data_labels
        labels.show_value, labels.position = True, XL_LABEL_POSITION.INSIDE_END
        labels.number_format, labels.number_format_is_linked = fmt.money_format(f.currency), False
        labels.font.size, labels.font.bold = Pt(10), True
        labels.font.color.rgb = rgb("FFFFFF" if series.name in ("Secured", "Forecast", "Gap to target",
                                                                "Target") else BRAND.text)
    axis = chart.value_axis
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb(BRAND.light)
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = fmt.money_format(f.currency), False
    axis.tick_labels.font.size = Pt(10)


# 5. Opportunities ---------------------------------------------------------------------------------

OPPORTUNITY_COLS = [Col("Opportunity", 170), Col("Offering", 100), Col("Stage", 72), Col("Value", 92, "right"),
                    Col("Probability", 84, "right"), Col("Close date", 100), Col("Owner", 100),
                    Col("Next step", CONTENT_W - 718)]


def opportunities_slides(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[4]
    plan, f = result.plan, result.figures
    if _is_missing(result, "Path to the number") or not plan.opportunities:
        return _missing_slide(deck, title, "Path to the number", "No opportunities in the plan.")
    rows = [[o.opportunity or "", _text(o.offering), _text(o.stage), _money(result, o.value),
             fmt.share(f.probabilities[i]), _close_date(o.close_date, i in f.past_close), _text(o.owner),
             _text(o.next_step)] for i, o in enumerate(plan.opportunities)]
    late = [plan.opportunities[i].opportunity for i in f.past_close]
    notes = (f"Walk the opportunities behind the chart. {len(late)} not Secured are past their close date"
             f"{': ' + ', '.join(map(str, late)) if late else ''}; ask each owner for a new date or to drop it."
             if late else "Walk the opportunities behind the chart; none is past its close date. "
                          "Ask each owner what the next step needs from the customer.")
    _table_slides(deck, title, notes, OPPORTUNITY_COLS, rows, max_lines=2, footnote=[_note(
        "Red close date: not Secured and past its close date. A probability left blank in the plan shows the "
        "stage's default.")])


def _close_date(value, passed: bool) -> Cell:
    return Cell(f"{fmt.date(value)} · passed", BRAND.bad, bold=True) if passed else Cell(fmt.date(value))


# 6. Relationship map ------------------------------------------------------------------------------

def relationship_slides(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[5]
    if _is_missing(result, "Relationships"):
        return _missing_slide(deck, title, "Relationships")
    plan, f = result.plan, result.figures
    stage_w = (CONTENT_W - 170 - 110 - 118) / len(schema.BUYING_STAGES)
    cols = [Col("Stakeholder", 170), Col("Role", 110), Col("Relationship", 118),
            *(Col(stage, stage_w, "center", BRAND.bad if stage in f.exposed_stages else BRAND.primary)
              for stage in schema.BUYING_STAGES)]
    role_order = {role: i for i, role in enumerate(schema.ROLES)}
    people = sorted(plan.stakeholders, key=lambda s: role_order.get(s.role, len(role_order)))
    rows = [[_person(s), _text(s.role), Cell(_text(s.relationship), BRAND.relationship_colour(s.relationship),
                                             bold=True), *_stage_cells(s)] for s in people]
    callout = _relationship_callout(result)
    _table_slides(deck, title, _relationship_notes(result), cols, rows, intro=[
        Para(callout[0], 14, True, callout[1], max_lines=2)], footnote=[_note(
            "Colour: our relationship with that person (green Trusted advisor, amber Building trust, red Poor, "
            "grey Unknown). A red stage header marks an exposed stage: a Detractor involved and no Supporter or "
            "Trusted advisor.")])


def _person(stakeholder) -> str:
    return ", ".join(v for v in (stakeholder.name, stakeholder.title) if v)


def _stage_cells(stakeholder) -> list[Cell]:
    involved = set(stages_of(stakeholder))
    colour = BRAND.relationship_colour(stakeholder.relationship)
    label = SHORT_RELATIONSHIP.get(stakeholder.relationship, "Unknown")
    return [Cell(label, "FFFFFF", colour, True) if stage in involved else Cell("")
            for stage in schema.BUYING_STAGES]


def _relationship_callout(result: Result) -> tuple[str, str]:
    """The one line the map must shout: exposed stages and a missing Decision maker, or that all is well."""
    f = result.figures
    problems = []
    if not f.decision_makers:
        problems.append("No Decision maker among the stakeholders")
    if f.exposed_stages:
        problems.append("Exposed: " + ", ".join(f.exposed_stages))
    if problems:
        return ". ".join(problems) + ".", BRAND.bad
    return f"Decision maker: {_decision_makers(result)}. No buying stage is exposed.", BRAND.good


def _decision_makers(result: Result) -> str:
    people = [result.plan.stakeholders[i] for i in result.figures.decision_makers]
    return "; ".join(f"{s.name} ({_text(s.relationship)})" for s in people)


def _relationship_notes(result: Result) -> str:
    return ("Read the map across: each row is a person, each column a buying stage, the colour our relationship. "
            f"{_relationship_callout(result)[0]} Ask who covers the stages with nobody friendly in them.")


# 7. Position and whitespace -----------------------------------------------------------------------

QUADRANTS = (("Target", "High potential, relationship to build", 0, 0),
             ("Key", "High potential, strong relationship", 1, 0),
             ("Maintained", "Low potential, relationship to build", 0, 1),
             ("Managed", "Low potential, strong relationship", 1, 1))
MATRIX = Box(MARGIN + 20, BODY_TOP + 28, 340, 330)


def position_slides(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[6]
    f = result.figures
    notes = (f"Place the account: {f.position or 'not placed, the scores are missing'}. Then the whitespace: "
             f"{_money(result, f.whitespace_open)} of open offerings nobody sells here yet.")
    x = MATRIX.x + MATRIX.w + 40
    cols = [Col("Offering", 160), Col("Business unit", 120), Col("Status", 120),
            Col("Estimated value", CONTENT_W + MARGIN - x - 400, "right")]
    status_order = {s: i for i, s in enumerate(schema.WHITESPACE_STATUSES)}
    items = sorted(result.plan.whitespace, key=lambda w: status_order.get(w.status, len(status_order)))
    rows = [[w.offering or "", _text(w.business_unit), _status_cell(w.status), _money(result, w.estimated_value)]
            for w in items]
    missing = _is_missing(result, "Whitespace")
    pages = paginate(cols, rows, BODY_BOTTOM - BODY_TOP - 40)
    for number, page in enumerate(pages, 1):
        slide = deck.slide(_numbered(title, number, len(pages)), notes)
        _matrix(slide, result)
        if missing:
            add_text(slide, Box(x, BODY_TOP, CONTENT_W + MARGIN - x, 120), [
                Para("The Whitespace section is missing in the plan.", 18, True, BRAND.bad),
                Para("Fill in the 'Whitespace' sheet: what else we could sell here, and who holds it today.", 13,
                     colour=BRAND.muted, space_before=6)], name="Missing section")
            continue
        add_text(slide, Box(x, BODY_TOP, CONTENT_W + MARGIN - x, 36), [
            Para(f"Open whitespace: {_money(result, f.whitespace_open)}", 16, True, BRAND.accent, max_lines=1)],
            name="Summary")
        add_table(slide, x, BODY_TOP + 40, cols, page, name="Whitespace")


def _status_cell(status) -> Cell:
    return Cell("Open", BRAND.accent, bold=True) if status == "Open" else Cell(_text(status))


def _matrix(slide, result: Result) -> None:
    """The 2x2 of potential against relationship, this account's quadrant filled and marked."""
    position = result.figures.position
    w, h = MATRIX.w / 2, MATRIX.h / 2
    for name, caption, col, row in QUADRANTS:
        mine = name == position
        add_text(slide, Box(MATRIX.x + col * w, MATRIX.y + row * h, w, h), [
            Para(name, 18, True, "FFFFFF" if mine else BRAND.primary, max_lines=1),
            Para(caption, 11, colour="FFFFFF" if mine else BRAND.muted, max_lines=2),
            *([Para(f"◆ {result.plan.account_name or 'This account'}", 12, True, "FFFFFF", max_lines=2,
                    space_before=8)] if mine else []),
        ], name=f"Quadrant {name}", fill=BRAND.accent if mine else BRAND.light)
    add_text(slide, Box(MATRIX.x - 20, BODY_TOP, MATRIX.w + 20, 26), [
        Para("↑ Potential", 12, True, BRAND.muted, max_lines=1)], name="Potential axis")
    add_text(slide, Box(MATRIX.x, MATRIX.y + MATRIX.h + 2, MATRIX.w, 24), [
        Para("Relationship →", 12, True, BRAND.muted, max_lines=1, align="right")], name="Relationship axis")
    scores = (f"Relationship {_text(result.plan.value('relationship_score'))} of 5, potential "
              f"{_text(result.plan.value('potential_score'))} of 5")
    add_text(slide, Box(MATRIX.x - 20, MATRIX.y + MATRIX.h + 26, MATRIX.w + 20, 40), [
        Para(scores if position else "Not placed: the relationship or potential score is missing in the plan.",
             12, bold=not position, colour=BRAND.text if position else BRAND.bad, max_lines=2)], name="Scores")


# 8-10. Competition, pressure test, risks ----------------------------------------------------------

def competition_slides(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[7]
    if _is_missing(result, "Competition"):
        return _missing_slide(deck, title, "Competition")
    cols = [Col("Competitor", 150), Col("Strengths", 190), Col("Weaknesses", 190), Col("Where present", 150),
            Col("Our response", CONTENT_W - 680)]
    rows = [[c.competitor or "", _text(c.strengths), _text(c.weaknesses), _text(c.where_present),
             _text(c.our_response)] for c in result.plan.competitors]
    _table_slides(deck, title, "Name who else is in the account, where, and how we answer each one. "
                               "Ask whether our response is already in motion.", cols, rows)


ANSWER_COLOURS = {"Yes": BRAND.good, "Partly": BRAND.fair, "No": BRAND.bad}


def pressure_slides(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[8]
    if _is_missing(result, "Pressure test"):
        return _missing_slide(deck, title, "Pressure test")
    readiness = result.figures.readiness
    cols = [Col("Question", 400), Col("Answer", 90), Col("Evidence", CONTENT_W - 490)]
    rows = [[q.question or "", Cell(q.answer or "Not answered", ANSWER_COLOURS.get(q.answer, BRAND.unknown),
                                    bold=True), _text(q.evidence)] for q in result.plan.pressure_test]
    _table_slides(deck, title, (
        f"Readiness is {fmt.share(readiness)}: Yes counts fully, Partly half. Spend the time on the No and "
        "Partly answers, and ask for the evidence behind each Yes."), cols, rows, intro=[
        Para(f"Readiness: {fmt.share(readiness)}" if readiness is not None else
             "Readiness: no question is answered yet", 20, True, BRAND.accent, max_lines=1)])


def risk_slides(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[9]
    if _is_missing(result, "Risks"):
        return _missing_slide(deck, title, "Risks")
    risks = sorted(result.plan.risks, key=lambda r: (LEVEL_ORDER.get(r.impact, 3), LEVEL_ORDER.get(r.likelihood, 3)))
    cols = [Col("Risk", 220), Col("Impact", 80), Col("Likelihood", 90), Col("Mitigation", 240), Col("Owner", 130),
            Col("Due date", CONTENT_W - 760)]
    rows = [[r.risk or "", _level(r.impact), _level(r.likelihood), _mitigation(r), _missing_text(r.owner, "No owner"),
             fmt.date(r.due_date)] for r in risks]
    _table_slides(deck, title, "High-impact risks come first. For each, check there is a mitigation with an "
                               "owner and a date; red marks the ones that have none.", cols, rows)


def _level(level) -> Cell:
    return Cell(_text(level), BRAND.bad, bold=True) if level == "High" else Cell(_text(level))


def _mitigation(risk) -> Cell:
    if risk.mitigation:
        return Cell(_text(risk.mitigation))
    return Cell("No mitigation", BRAND.bad if risk.impact == "High" else BRAND.muted, bold=risk.impact == "High")


# 11. Action plan ----------------------------------------------------------------------------------

def action_slides(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[10]
    if _is_missing(result, "Action plan"):
        return _missing_slide(deck, title, "Action plan")
    plan, f = result.plan, result.figures
    if not f.open_actions:
        return _missing_slide(deck, title, "Action plan", "No open action in the plan: nothing moves it forward.")
    cols = [Col("Due date", 130), Col("Action", 270), Col("Owner", 130), Col("Status", 110), Col("Purpose", 120),
            Col("Linked to", CONTENT_W - 760)]
    rows = [_action_row(plan.actions[i], i in f.overdue_actions) for i in f.open_actions]
    counts = f.actions
    summary = (f"Open {counts.open} · overdue {counts.overdue} · blocked {counts.blocked} · "
               f"due in the next 14 days {counts.due_soon} · done {counts.done}")
    _table_slides(deck, title, (
        f"Open actions, earliest first. {counts.overdue} overdue and {counts.blocked} blocked are marked in red: "
        "ask what unblocks each, and get a new date from its owner."), cols, rows, intro=[
        Para(summary, 16, True, BRAND.bad if counts.overdue or counts.blocked else BRAND.accent, max_lines=1)])


def _action_row(action, overdue: bool) -> list:
    due = Cell(f"{fmt.date(action.due_date)} · overdue", BRAND.bad, bold=True) if overdue else \
        _missing_text(action.due_date, "No due date")
    status = action.status or "Not started"
    return [due, action.action or "", _missing_text(action.owner, "No owner"),
            Cell(status, BRAND.bad, bold=True) if status == "Blocked" else Cell(status), _text(action.purpose),
            _text(action.linked_to)]


# 12. Account team and relationship health --------------------------------------------------------

TEAM_COLS = [Col("Role", 130), Col("Name", 130), Col("Commitment", 160)]
HEALTH_COLS = [Col("Signal", 140), Col("Direction", 90), Col("Evidence", 130), Col("Observed on", 92)]
DIRECTION_COLOURS = {"Improving": BRAND.good, "Steady": BRAND.text, "Declining": BRAND.bad}


def team_slides(deck: DeckFile, result: Result) -> None:
    title = BASE_TITLES[11]
    plan = result.plan
    team = [[_text(m.role), m.name or "", _text(m.commitment)] for m in plan.team]
    health = [[_text(s.signal), Cell(_text(s.direction), DIRECTION_COLOURS.get(s.direction, BRAND.muted), bold=True),
               _text(s.evidence), fmt.date(s.observed_on)] for s in plan.health_signals]
    height = BODY_BOTTOM - BODY_TOP - 30
    team_pages, health_pages = paginate(TEAM_COLS, team, height), paginate(HEALTH_COLS, health, height)
    pages = max(len(team_pages), len(health_pages))
    notes = ("Who on our side works the account, and in which role; then the signals that the relationship is "
             "getting stronger or weaker. Ask about any Declining signal and any empty role.")
    x_health = MARGIN + CONTENT_W - sum(c.width for c in HEALTH_COLS)
    for number in range(pages):
        slide = deck.slide(_numbered(title, number + 1, pages), notes)
        _half(slide, result, MARGIN, "Account team", TEAM_COLS, team_pages, number)
        _half(slide, result, x_health, "Relationship health", HEALTH_COLS, health_pages, number)


def _half(slide, result: Result, x: float, section: str, cols: list[Col], pages: list, number: int) -> None:
    width = sum(c.width for c in cols)
    add_text(slide, Box(x, BODY_TOP, width, 28), [Para(section, 16, True, BRAND.primary, max_lines=1)],
             name=f"{section} heading")
    if _is_missing(result, section):
        add_text(slide, Box(x, BODY_TOP + 30, width, 90), [
            Para(f"The {section} section is missing in the plan.", 16, True, BRAND.bad),
            Para(f"Fill in the '{schema.SECTION_BY_NAME[section].sheet}' sheet.", 12, colour=BRAND.muted)],
            name="Missing section")
    elif number < len(pages) and pages[number]:
        add_table(slide, x, BODY_TOP + 30, cols, pages[number], name=section)


# 13. Leadership questions -------------------------------------------------------------------------

def questions_slide(deck: DeckFile, result: Result) -> None:
    slide = deck.slide(BASE_TITLES[12], (
        "Close with the three questions leaders ask. Each answer comes from the plan's own data; red lines are "
        "what the plan does not say yet. Agree who fills each gap before the next review."))
    width = (CONTENT_W - 2 * GAP) / 3
    panels = (("Is this the right objective?", _objective_answer(result)),
              ("Do we have the relationships to win?", _relationships_answer(result)),
              ("What action moves it forward next?", _next_action_answer(result)))
    for i, (question, answer) in enumerate(panels):
        add_text(slide, Box(MARGIN + i * (width + GAP), BODY_TOP, width, BODY_BOTTOM - BODY_TOP), [
            Para(question, 18, True, BRAND.primary, max_lines=2),
            *(Para(text, 13, colour=BRAND.bad if gap else BRAND.text, bold=gap, max_lines=4, space_before=8)
              for text, gap in answer)], name=f"Question {i + 1}", fill=BRAND.light)


def _objective_answer(result: Result) -> list[tuple[str, bool]]:
    """Lines of (text, is a gap in the plan)."""
    plan, f = result.plan, result.figures
    title, value, why = (plan.value(n) for n in ("objective_title", "objective_value", "objective_why_now"))
    if not title:
        return [("Missing: the plan names no objective.", True)]
    lines = [(title, False)]
    if value is None:
        lines.append(("Missing: the objective's value.", True))
    elif f.gap_to_target is not None:
        lines.append((f"Worth {_money(result, value)} against a gap to target of "
                      f"{_money(result, f.gap_to_target)}.", False))
    else:
        lines.append((f"Worth {_money(result, value)}.", False))
    if f.gap_to_target is None:
        lines.append(("Missing: the annual target, so there is no gap to compare with.", True))
    lines.append((f"Why now: {_text(why)}", False) if why else ("Missing: the reason to act now.", True))
    return lines


def _relationships_answer(result: Result) -> list[tuple[str, bool]]:
    f = result.figures
    if not result.plan.stakeholders:
        return [("Missing: the plan lists no stakeholders.", True)]
    empty = [stage for stage, roles in f.stage_coverage.items() if not roles]
    lines = [(f"Nobody involved in: {', '.join(empty)}.", True) if empty else
             ("Someone is involved in every buying stage.", False)]
    lines.append((f"Decision maker: {_decision_makers(result)}.", False) if f.decision_makers else
                 ("Missing: no Decision maker among the stakeholders.", True))
    lines.append((f"Exposed stages: {', '.join(f.exposed_stages)}.", True) if f.exposed_stages else
                 ("No buying stage is exposed to a Detractor.", False))
    return lines


def _next_action_answer(result: Result) -> list[tuple[str, bool]]:
    f = result.figures
    if f.next_action is None:
        return [("Missing: the plan has no open action.", True)]
    action = result.plan.actions[f.next_action]
    overdue = f.next_action in f.overdue_actions
    return [(_text(action.action), False),
            (f"Owner: {action.owner}" if action.owner else "Missing: the action's owner.", not action.owner),
            (f"Due: {fmt.date(action.due_date)}{' (overdue)' if overdue else ''}" if action.due_date else
             "Missing: the action's due date.", overdue or not action.due_date),
            (f"Status: {action.status or 'Not started'}", action.status == "Blocked")]


# 14. Plan health ----------------------------------------------------------------------------------

SECTION_COLS = [Col("Section", 170), Col("Complete", 80, "right"), Col("Status", 110)]
FINDING_COLS = [Col("Severity", 80), Col("Where", 150), Col("Finding", CONTENT_W - 360 - GAP - 230)]


def health_slide(deck: DeckFile, result: Result) -> None:
    c = result.figures.completeness
    slide = deck.slide(BASE_TITLES[13], (
        f"The plan is {fmt.share(c.overall)} complete. Name the missing and incomplete sections, then the top "
        "findings with their cells, so the rep knows exactly what to fix in the workbook."))
    gaps = "; ".join(part for part in (f"missing: {', '.join(c.missing)}" if c.missing else "",
                                       f"incomplete: {', '.join(c.incomplete)}" if c.incomplete else "") if part)
    add_text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 40), [
        Para(f"Complete: {fmt.share(c.overall)}" + (f" · {gaps}" if gaps else " · every section filled"), 14,
             True, BRAND.bad if gaps else BRAND.good, max_lines=2)], name="Summary")
    rows = [[name, fmt.share(share), _section_status(name, c)] for name, share in c.sections.items()]
    top = BODY_TOP + 44
    add_table(slide, MARGIN, top, SECTION_COLS, paginate(SECTION_COLS, rows, BODY_BOTTOM - top, size=10)[0],
              size=10, name="Completeness")
    _findings(slide, result, MARGIN + 360 + GAP, top)


def _section_status(name: str, c) -> Cell:
    if name in c.missing:
        return Cell("Missing", BRAND.bad, bold=True)
    if name in c.incomplete:
        return Cell("Incomplete", BRAND.fair, bold=True)
    return Cell("Complete", BRAND.good)


def _findings(slide, result: Result, x: float, top: float) -> None:
    """As many findings as fit, most serious first, each with the cell to look at."""
    width = sum(col.width for col in FINDING_COLS)
    if not result.findings:
        add_text(slide, Box(x, top, width, 40), [Para("No findings: the plan passes every check.", 14, True,
                                                      BRAND.good)], name="Findings")
        return
    rows = [[Cell(f.severity.capitalize(), BRAND.bad if f.severity == "error" else BRAND.fair, bold=True),
             "!".join(part for part in (f.sheet, f.cell) if part) or "Whole workbook", f.message]
            for f in result.findings]
    shown = paginate(FINDING_COLS, rows, BODY_BOTTOM - top - 30, size=10, max_lines=2)[0]
    add_table(slide, x, top, FINDING_COLS, shown, size=10, name="Findings")
    if len(shown) < len(rows):
        add_text(slide, Box(x, BODY_BOTTOM - 28, width, 28), [_note(
            f"{len(rows) - len(shown)} more findings: see the checked workbook or `accountplan validate`.")],
            name="Note")


SLIDES = (title_slide, objective_slide, agenda_slide, path_slide, opportunities_slides, relationship_slides,
          position_slides, competition_slides, pressure_slides, risk_slides, action_slides, team_slides,
          questions_slide, health_slide)
