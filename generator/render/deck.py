"""The review deck: one slide per part of the plan, in a fixed order, for an account review meeting.

Every slide has a title, the account and plan period in the footer, a slide number and speaker notes that
tell the presenter what to point at. A section the rep left blank still gets its slide, saying so; long
lists continue on further slides ("Opportunities (2 of 3)").

The deck lays out a `PlanView` in a kit's brand and nothing else: every value, label, mark, tone and row
order comes from the view (so the deck reads the same as the document and the checked workbook), and the
deck only chooses what goes on which slide, where, and how wide. Its own words are the slide titles,
headlines, notes to the presenter and explanations under a table.
"""
from __future__ import annotations

from pathlib import Path

from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.util import Pt

from .. import fmt
from ..plan import schema
from ..brand import Brand
from .deck_parts import (BODY_BOTTOM, BODY_TOP, CONTENT_W, MARGIN, Box, Cell, Col, DatedChartData, DeckFile,
                         Para, paginate, rgb)
from ..kit import Kit
from ..view import BAD, FAIR, GOOD, UNKNOWN, FieldView, ListView, PlanView, SectionView, relationship_tone
from ..view import Cell as ViewCell  # a value as the view shows it; `Cell` is a table cell of the deck

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
WATERFALL_FIGURES = ("secured", "forecast", "pipeline", "prospect", "gap_to_target", "annual_target")
"""The view's figure behind each category of `WATERFALL`."""

GAP = 16.0  # space between side-by-side blocks


def render(view: PlanView, kit: Kit, path: Path) -> None:
    """Write the review deck of `view`, in `kit`'s brand, to `path` (.pptx)."""
    period = _given(view.fact("plan_period")) or "plan period missing"
    deck = DeckFile(f"{view.account} · {period}", kit.brand)
    for slide_maker in SLIDES:
        slide_maker(deck, view, kit)
    deck.save(path, view.as_of, "" if view.account_missing else view.account, _given(view.fact("account_owner")))


# Shared pieces ------------------------------------------------------------------------------------

def _numbered(title: str, page: int, pages: int) -> str:
    return title if pages == 1 else f"{title} ({page} of {pages})"


def _given(cell: ViewCell) -> str:
    """The text of a value the plan gives, or "" when it is blank."""
    return "" if cell.value is None else cell.text


def _colour(brand: Brand, tone: str | None) -> str | None:
    """The brand's colour for a view's tone (None: the plain text colour)."""
    return getattr(brand, tone) if tone else None


def _cell(brand: Brand, cell: ViewCell) -> Cell:
    return Cell(cell.text, _colour(brand, cell.tone), bold=cell.strong)


def _field(view: PlanView, name: str) -> FieldView:
    return next(f for s in view.sections for f in s.fields if f.name == name)


def _columns(listed: ListView, widths: dict[str, float]) -> list[Col]:
    """The columns the slide shows, in `widths`' order, headed as the definition heads them."""
    return [Col(listed.column(attr).header, width, "right" if listed.column(attr).right_aligned else "left")
            for attr, width in widths.items()]


def _rows(brand: Brand, rows, widths: dict[str, float]) -> list[list[Cell]]:
    return [[_cell(brand, row[attr]) for attr in widths] for row in rows]


def _missing_slide(deck: DeckFile, title: str, section: SectionView, headline: str = "",
                   sentence: str = "") -> None:
    """A slide that says plainly what the plan lacks, and where the rep fills it in."""
    headline = headline or f"The {section.name} section is missing in the plan."
    sentence = sentence or section.missing_text
    slide = deck.slide(title, f"{headline} Say so plainly, and agree who fills in the '{section.sheet}' sheet "
                              "before the next review. Do not guess the content in the meeting.")
    deck.text(slide, Box(MARGIN, BODY_TOP + 60, CONTENT_W, 260), [
        Para(headline, 28, True, deck.brand.bad, max_lines=2),
        Para(sentence, 16, colour=deck.brand.muted, space_before=12),
        Para(section.purpose, 14, colour=deck.brand.muted, space_before=6),
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
            deck.text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 42), intro, name="Summary")
        deck.table(slide, MARGIN, top, cols, page, name=title)
        if footnote:
            deck.text(slide, Box(MARGIN, bottom + 4, CONTENT_W, 36), footnote, name="Note")


def _note(deck: DeckFile, text: str, max_lines: int = 2) -> Para:
    return Para(text, 11, colour=deck.brand.muted, max_lines=max_lines)


# 1. Title -----------------------------------------------------------------------------------------

def title_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    brand = deck.brand
    position, as_of = view.figure("position"), view.figure("as_of")
    slide = deck.slide(BASE_TITLES[0], (
        f"Open with the account, who owns the plan and where it sits: a {position.value or 'not yet rated'} "
        f"account for {_given(view.fact('plan_period')) or 'an unnamed period'}. The figures are as of "
        f"{as_of.text}; the plan itself is dated {view.fact('plan_date').text}."))
    where = " · ".join(_given(view.fact(name)) for name in ("industry", "region") if _given(view.fact(name)))
    deck.text(slide, Box(MARGIN, BODY_TOP + 50, CONTENT_W, 150), [
        Para(view.account, 40, True, brand.primary, max_lines=2),
        Para(where, 18, colour=brand.muted, max_lines=1, space_before=6),
    ], name="Account")
    owner, period, dated = (_field(view, name) for name in ("account_owner", "plan_period", "plan_date"))
    cols = [Col(label, CONTENT_W / 5) for label in (owner.label, period.label, position.label, dated.label,
                                                     as_of.label)]
    placed = Cell(position.text, "FFFFFF", brand.accent, True) if position.value \
        else Cell(kit.wording.mark("not_placed"), brand.bad, bold=True)
    values = [_cell(brand, owner.cell), _cell(brand, period.cell), placed, _cell(brand, dated.cell), as_of.text]
    deck.table(slide, MARGIN, 330, cols, paginate(cols, [values], 120, size=14)[0], size=14, name="Facts")


# 2. Objective -------------------------------------------------------------------------------------

OBJECTIVE_FACTS = ("objective_value", "objective_decision_date", "objective_sponsor", "objective_why_now")


def objective_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title, section = BASE_TITLES[1], view.section("Objective")
    if section.missing:
        return _missing_slide(deck, title, section)
    brand, say = deck.brand, kit.wording.say
    value, gap = section.field("objective_value"), view.figure("gap_to_target")
    slide = deck.slide(title, (
        f"State the one objective this plan exists to win. Compare its value ({value.cell.text}) "
        f"with the gap to target ({gap.text}), then give the reason to act now and who sponsors it."))
    deck.text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 110), [
        Para(_given(view.fact("objective_title")) or say("no_objective"), 24, True, brand.primary, max_lines=2),
        Para(view.fact("objective_description").text, 14, max_lines=2, space_before=4),
    ], name="Objective")
    cols = [Col("Item", 150), Col("In the plan", 420)]
    rows = []
    for item in map(section.field, OBJECTIVE_FACTS):
        shown = _cell(brand, item.cell)
        if item.name == "objective_why_now" and item.cell.value is None:
            shown = Cell(say("no_why_now"), brand.bad, bold=True)
        rows.append([item.label, shown])
    deck.table(slide, MARGIN, 210, cols, paginate(cols, rows, 280, max_lines=6)[0], name="Objective facts")
    deck.text(slide, Box(MARGIN + 570 + GAP * 2, 210, CONTENT_W - 570 - GAP * 2, 280), [
        Para("Value against the gap", 16, True, brand.primary, max_lines=1),
        Para(value.label, 12, colour=brand.muted, max_lines=1, space_before=10),
        Para(value.cell.text, 28, True, brand.accent, max_lines=1),
        Para(gap.label, 12, colour=brand.muted, max_lines=1, space_before=10),
        Para(gap.text, 28, True, _colour(brand, gap.tone), max_lines=1),
        Para(f"{gap.label}: annual target less what is secured.", 11, colour=brand.muted, space_before=10),
    ], name="Value against gap", fill=brand.light)


# 3. Customer agenda -------------------------------------------------------------------------------

AGENDA = {"priority": 200, "category": 140, "detail": 200, "how_we_help": 228, "validated": 120}


def agenda_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title, section = BASE_TITLES[2], view.section("Customer agenda")
    if section.missing:
        return _missing_slide(deck, title, section)
    priorities = section.list("CustomerPriorities")
    _table_slides(deck, title, (
        "Start from the customer's priorities, in their words, and how we help with each. Green ones were "
        "validated with the customer; ask how the others will be checked."), _columns(priorities, AGENDA),
        _rows(deck.brand, priorities.rows, AGENDA))


# 4. Path to the number ----------------------------------------------------------------------------

KEY_FIGURES = ("annual_target", "secured", "gap_to_target", "weighted_open", "uncovered_gap", "pipeline_coverage",
               "growth_vs_prior")


def path_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title, section = BASE_TITLES[3], view.section("Path to the number")
    if section.missing:
        return _missing_slide(deck, title, section)
    brand, fig = deck.brand, view.figure
    slide = deck.slide(title, (
        f"Start at the Secured bar ({fig('secured').text}), then the red gap to target "
        f"({fig('gap_to_target').text}). Forecast, pipeline and prospect stack up beside it: weighted by "
        f"probability they are worth {fig('weighted_open').text}, which leaves "
        f"{fig('uncovered_gap').text} uncovered. Ask what closes that."))
    _waterfall(slide, view, brand, Box(MARGIN, BODY_TOP, 560, BODY_BOTTOM - BODY_TOP))
    cols = [Col("Figure", 170), Col("Value", CONTENT_W - 560 - GAP - 170, "right")]
    rows = [[Cell(f.label, _colour(brand, f.tone), bold=bool(f.tone)),
             Cell(f.text, _colour(brand, f.tone), bold=bool(f.tone))] for f in map(fig, KEY_FIGURES)]
    x = MARGIN + 560 + GAP
    deck.table(slide, x, BODY_TOP, cols, paginate(cols, rows, 300, size=13)[0], size=13, name="Key figures")
    deck.text(slide, Box(x, 330, CONTENT_W - 560 - GAP, 110), [_note(deck, (
        f"{fig('weighted_open').label}: forecast, pipeline and prospect times their probability. "
        f"{fig('pipeline_coverage').label}: all open value against the gap to target."), max_lines=6)], name="Note")


def _waterfall(slide, view: PlanView, brand: Brand, box: Box) -> None:
    """A bridge drawn as stacked columns on an invisible base; each figure is its own editable series."""
    secured, forecast, pipeline, prospect, gap, target = (view.figure(key).value for key in WATERFALL_FIGURES)
    money_format = fmt.money_format(view.currency)
    data = DatedChartData(view.as_of, money_format)
    data.categories = WATERFALL
    data.add_series("Base", [None, secured, secured + forecast, secured + forecast + pipeline,
                             secured if gap else None, None])
    for i, (name, value) in enumerate(zip(WATERFALL, (secured, forecast, pipeline, prospect, gap, target))):
        data.add_series(name, [value if j == i else None for j in range(len(WATERFALL))])
    colours = dict(zip(WATERFALL, (brand.secured, brand.forecast, brand.pipeline, brand.prospect, brand.gap,
                                   brand.muted)))
    on_dark = dict(zip(WATERFALL, (True, True, False, False, True, True)))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_STACKED, *box.emu, data).chart
    chart.has_legend = False
    chart.font.size, chart.font.name = Pt(11), brand.font
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
        labels.number_format, labels.number_format_is_linked = money_format, False
        labels.font.size, labels.font.bold = Pt(10), True
        labels.font.color.rgb = rgb("FFFFFF" if on_dark[series.name] else brand.text)
    axis = chart.value_axis
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = rgb(brand.light)
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = money_format, False
    axis.tick_labels.font.size = Pt(10)


# 5. Opportunities ---------------------------------------------------------------------------------

OPPORTUNITIES = {"opportunity": 170, "offering": 100, "stage": 72, "value": 92, "probability": 84,
                 "close_date": 100, "owner": 100, "next_step": CONTENT_W - 718}


def opportunities_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title, section = BASE_TITLES[4], view.section("Path to the number")
    opportunities = section.list("Opportunities")
    headline = "No opportunities in the plan."
    if section.missing:
        return _missing_slide(deck, title, section, headline)
    if not opportunities.rows:
        return _missing_slide(deck, title, section, headline, f"Fill in the '{section.sheet}' sheet of the workbook.")
    secured = kit.definition.secured_stage
    late = [row["opportunity"].text for row in opportunities.rows_with("past-close")]
    notes = (f"Walk the opportunities behind the chart. {len(late)} not {secured} are past their close date: "
             f"{', '.join(late)}; ask each owner for a new date or to drop it." if late else
             "Walk the opportunities behind the chart; none is past its close date. "
             "Ask each owner what the next step needs from the customer.")
    _table_slides(deck, title, notes, _columns(opportunities, OPPORTUNITIES),
                  _rows(deck.brand, opportunities.rows, OPPORTUNITIES), max_lines=2, footnote=[_note(deck, (
                      f"Red close date: not {secured} and past its close date. A probability left blank in the "
                      "plan shows the stage's default."))])


# 6. Relationship map ------------------------------------------------------------------------------

STAKEHOLDER, ROLE, RELATIONSHIP = 170, 110, 118
TONE_WORDS = {GOOD: "green", FAIR: "amber", BAD: "red", UNKNOWN: "grey"}
"""How the notes name the colour of a tone (in the built-in brand)."""


def relationship_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title, section = BASE_TITLES[5], view.section("Relationships")
    if section.missing:
        return _missing_slide(deck, title, section)
    brand, d = deck.brand, kit.definition
    people = section.list("Stakeholders")
    stages = [c for c in people.columns if c.kind == schema.MARK]
    exposed = view.figure("exposed_stages").value
    stage_w = (CONTENT_W - STAKEHOLDER - ROLE - RELATIONSHIP) / len(stages)
    name, role, relationship = (people.column(attr) for attr in ("name", "role", "relationship"))
    cols = [Col(f"{name.header}, {people.column('title').header}", STAKEHOLDER), Col(role.header, ROLE),
            Col(relationship.header, RELATIONSHIP),
            *(Col(stage.header, stage_w, "center", brand.bad if stage.header in exposed else None) for stage in stages)]
    rows = [[_person(row), _cell(brand, row["role"]), _cell(brand, row["relationship"]),
             *(_stage_cell(brand, row[stage.attr]) for stage in stages)] for row in people.rows]
    callout, tone = _relationship_callout(view, kit)
    legend = ", ".join(f"{TONE_WORDS[relationship_tone(r, d)]} {r}" for r in d.relationships)
    _table_slides(deck, title, (
        "Read the map across: each row is a person, each column a buying stage, the colour our relationship. "
        f"{callout} Ask who covers the stages with nobody friendly in them."), cols, rows, intro=[
        Para(callout, 14, True, _colour(brand, tone), max_lines=2)], footnote=[_note(deck, (
            f"Colour: our relationship with that person ({legend}). A red stage header marks an exposed stage: "
            f"a {d.detractor} involved and no {d.supporter} or {d.trusted_advisor}."))])


def _person(row) -> str:
    return ", ".join(_given(row[attr]) for attr in ("name", "title") if _given(row[attr]))


def _stage_cell(brand: Brand, cell: ViewCell) -> Cell:
    """A stage the person takes part in, filled in the colour of our relationship with them."""
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
    people = "; ".join(f"{row['name'].text} ({row['relationship'].text})" for row in deciders)
    return f"{decides}: {people}. No buying stage is exposed.", GOOD


# 7. Position and whitespace -----------------------------------------------------------------------

QUADRANTS = (("Target", "High potential, relationship to build", 0, 0),
             ("Key", "High potential, strong relationship", 1, 0),
             ("Maintained", "Low potential, relationship to build", 0, 1),
             ("Managed", "Low potential, strong relationship", 1, 1))
MATRIX = Box(MARGIN + 20, BODY_TOP + 28, 340, 330)


def position_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title, section = BASE_TITLES[6], view.section("Whitespace")
    brand, open_value = deck.brand, view.figure("whitespace_open")
    notes = (f"Place the account: {view.figure('position').value or 'not placed, the scores are missing'}. "
             f"Then the whitespace: {open_value.text} of open offerings nobody sells here yet.")
    x = MATRIX.x + MATRIX.w + 40
    whitespace = section.list("Whitespace")
    widths = {"offering": 160, "business_unit": 120, "status": 120, "estimated_value": CONTENT_W + MARGIN - x - 400}
    cols = _columns(whitespace, widths)
    pages = paginate(cols, _rows(brand, whitespace.rows, widths), BODY_BOTTOM - BODY_TOP - 40)
    for number, page in enumerate(pages, 1):
        slide = deck.slide(_numbered(title, number, len(pages)), notes)
        _matrix(deck, slide, view, kit)
        if section.missing:
            deck.text(slide, Box(x, BODY_TOP, CONTENT_W + MARGIN - x, 120), [
                Para(section.missing_text, 16, True, brand.bad, max_lines=4)], name="Missing section")
            continue
        deck.text(slide, Box(x, BODY_TOP, CONTENT_W + MARGIN - x, 36), [
            Para(f"{open_value.label}: {open_value.text}", 16, True, brand.accent, max_lines=1)], name="Summary")
        deck.table(slide, x, BODY_TOP + 40, cols, page, name="Whitespace")


def _matrix(deck: DeckFile, slide, view: PlanView, kit: Kit) -> None:
    """The 2x2 of potential against relationship, this account's quadrant filled and marked."""
    brand, position = deck.brand, view.figure("position").value
    w, h = MATRIX.w / 2, MATRIX.h / 2
    for name, caption, col, row in QUADRANTS:
        mine = name == position
        deck.text(slide, Box(MATRIX.x + col * w, MATRIX.y + row * h, w, h), [
            Para(name, 18, True, "FFFFFF" if mine else brand.primary, max_lines=1),
            Para(caption, 11, colour="FFFFFF" if mine else brand.muted, max_lines=2),
            *([Para(f"◆ {'This account' if view.account_missing else view.account}", 12, True, "FFFFFF",
                    max_lines=2, space_before=8)] if mine else []),
        ], name=f"Quadrant {name}", fill=brand.accent if mine else brand.light)
    deck.text(slide, Box(MATRIX.x - 20, BODY_TOP, MATRIX.w + 20, 26), [
        Para("↑ Potential", 12, True, brand.muted, max_lines=1)], name="Potential axis")
    deck.text(slide, Box(MATRIX.x, MATRIX.y + MATRIX.h + 2, MATRIX.w, 24), [
        Para("Relationship →", 12, True, brand.muted, max_lines=1, align="right")], name="Relationship axis")
    scores = (f"Relationship {view.fact('relationship_score').text} of 5, potential "
              f"{view.fact('potential_score').text} of 5")
    deck.text(slide, Box(MATRIX.x - 20, MATRIX.y + MATRIX.h + 26, MATRIX.w + 20, 40), [
        Para(scores if position else kit.wording.mark("not_placed"), 12, bold=not position,
             colour=None if position else brand.bad, max_lines=2)], name="Scores")


# 8-10. Competition, pressure test, risks ----------------------------------------------------------

COMPETITORS = {"competitor": 150, "strengths": 190, "weaknesses": 190, "where_present": 150,
               "our_response": CONTENT_W - 680}
QUESTIONS = {"question": 400, "answer": 90, "evidence": CONTENT_W - 490}
RISKS = {"risk": 220, "impact": 80, "likelihood": 90, "mitigation": 240, "owner": 130, "due_date": CONTENT_W - 760}


def competition_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title, section = BASE_TITLES[7], view.section("Competition")
    if section.missing:
        return _missing_slide(deck, title, section)
    competitors = section.list("Competitors")
    _table_slides(deck, title, "Name who else is in the account, where, and how we answer each one. "
                               "Ask whether our response is already in motion.", _columns(competitors, COMPETITORS),
                  _rows(deck.brand, competitors.rows, COMPETITORS))


def pressure_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title, section = BASE_TITLES[8], view.section("Pressure test")
    if section.missing:
        return _missing_slide(deck, title, section)
    d, readiness = kit.definition, view.figure("readiness")
    questions = section.list("PressureTest")
    _table_slides(deck, title, (
        f"{readiness.label} is {readiness.text}: {d.yes} counts fully, {d.partly} half. Spend the time on the "
        f"answers short of {d.yes}, and ask for the evidence behind each {d.yes}."), _columns(questions, QUESTIONS),
        _rows(deck.brand, questions.rows, QUESTIONS), intro=[
            Para(f"{readiness.label}: {readiness.text}" if readiness.value is not None else
                 f"{readiness.label}: no question is answered yet", 20, True, deck.brand.accent, max_lines=1)])


def risk_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title, section = BASE_TITLES[9], view.section("Risks")
    if section.missing:
        return _missing_slide(deck, title, section)
    risks = section.list("Risks")
    _table_slides(deck, title, "High-impact risks come first. For each, check there is a mitigation with an "
                               "owner and a date; red marks the ones that have none.", _columns(risks, RISKS),
                  _rows(deck.brand, risks.rows, RISKS))


# 11. Action plan ----------------------------------------------------------------------------------

ACTIONS = {"due_date": 130, "action": 270, "owner": 130, "status": 110, "purpose": 120, "linked_to": CONTENT_W - 760}


def action_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title, section = BASE_TITLES[10], view.section("Action plan")
    if section.missing:
        return _missing_slide(deck, title, section)
    actions = section.list("Actions")
    opened = actions.rows_with("open")
    if not opened:
        return _missing_slide(deck, title, section, "No open action in the plan: nothing moves it forward.",
                              f"Fill in the '{section.sheet}' sheet of the workbook.")
    overdue, blocked = view.figure("actions_overdue"), view.figure("actions_blocked")
    _table_slides(deck, title, (
        f"Open actions, earliest first. {overdue.text} overdue and {blocked.text} blocked are marked in red: "
        "ask what unblocks each, and get a new date from its owner."), _columns(actions, ACTIONS),
        _rows(deck.brand, opened, ACTIONS), intro=[
            Para(view.action_summary, 16, True, deck.brand.bad if overdue.value or blocked.value else
                 deck.brand.accent, max_lines=1)])


# 12. Account team and relationship health --------------------------------------------------------

TEAM = {"role": 130, "name": 130, "commitment": 160}
SIGNALS = {"signal": 140, "direction": 90, "evidence": 130, "observed_on": 92}


def team_slides(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    title = BASE_TITLES[11]
    halves = [(view.section(name), table, widths) for name, table, widths in (
        ("Account team", "AccountTeam", TEAM), ("Relationship health", "HealthSignals", SIGNALS))]
    height = BODY_BOTTOM - BODY_TOP - 30
    laid = []
    for section, table, widths in halves:
        listed = section.list(table)
        cols = _columns(listed, widths)
        laid.append((section, cols, paginate(cols, _rows(deck.brand, listed.rows, widths), height)))
    pages = max(len(pages) for _, _, pages in laid)
    notes = ("Who on our side works the account, and in which role; then the signals that the relationship is "
             "getting stronger or weaker. Ask about any weakening signal and any empty role.")
    x_health = MARGIN + CONTENT_W - sum(SIGNALS.values())
    for number in range(pages):
        slide = deck.slide(_numbered(title, number + 1, pages), notes)
        for x, (section, cols, section_pages) in zip((MARGIN, x_health), laid):
            _half(deck, slide, x, section, cols, section_pages, number)


def _half(deck: DeckFile, slide, x: float, section: SectionView, cols: list[Col], pages: list, number: int) -> None:
    width = sum(c.width for c in cols)
    deck.text(slide, Box(x, BODY_TOP, width, 28), [Para(section.name, 16, True, deck.brand.primary, max_lines=1)],
              name=f"{section.name} heading")
    if section.missing:
        deck.text(slide, Box(x, BODY_TOP + 30, width, 90), [
            Para(section.missing_text, 14, True, deck.brand.bad, max_lines=4)], name="Missing section")
    elif number < len(pages) and pages[number]:
        deck.table(slide, x, BODY_TOP + 30, cols, pages[number], name=section.name)


# 13. Leadership questions -------------------------------------------------------------------------

def questions_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    brand = deck.brand
    slide = deck.slide(BASE_TITLES[12], (
        "Close with the three questions leaders ask. Each answer comes from the plan's own data; red lines are "
        "what the plan does not say yet. Agree who fills each gap before the next review."))
    width = (CONTENT_W - 2 * GAP) / 3
    for i, answer in enumerate(view.answers):
        deck.text(slide, Box(MARGIN + i * (width + GAP), BODY_TOP, width, BODY_BOTTOM - BODY_TOP), [
            Para(answer.question, 18, True, brand.primary, max_lines=2),
            *(Para(line.text, 13, colour=brand.bad if line.gap else None, bold=line.gap, max_lines=4,
                   space_before=8) for line in answer.lines)], name=f"Question {i + 1}", fill=brand.light)


# 14. Plan health ----------------------------------------------------------------------------------

SECTION_COLS = [Col("Section", 170), Col("Complete", 80, "right"), Col("Status", 110)]
FINDING_COLS = [Col("Severity", 80), Col("Where", 150), Col("Finding", CONTENT_W - 360 - GAP - 230)]


def health_slide(deck: DeckFile, view: PlanView, kit: Kit) -> None:
    brand, mark, complete = deck.brand, kit.wording.mark, view.figure("completeness")
    slide = deck.slide(BASE_TITLES[13], (
        f"The plan is {complete.text} complete. Name the missing and incomplete sections, then the top "
        "findings with their cells, so the rep knows exactly what to fix in the workbook."))
    missing = [s.name for s in view.sections if s.missing]
    incomplete = [s.name for s in view.sections if s.incomplete]
    gaps = "; ".join(f"{mark(status).lower()}: {', '.join(names)}"
                     for status, names in (("missing", missing), ("incomplete", incomplete)) if names)
    deck.text(slide, Box(MARGIN, BODY_TOP, CONTENT_W, 40), [
        Para(f"{complete.label}: {complete.text}" + (f" · {gaps}" if gaps else " · every section filled"), 14,
             True, brand.bad if gaps else brand.good, max_lines=2)], name="Summary")
    rows = [[s.name, s.share_text, _cell(brand, s.status_cell)] for s in view.sections]
    top = BODY_TOP + 44
    deck.table(slide, MARGIN, top, SECTION_COLS, paginate(SECTION_COLS, rows, BODY_BOTTOM - top, size=10)[0],
               size=10, name="Completeness")
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
    shown = paginate(FINDING_COLS, rows, BODY_BOTTOM - top - 30, size=10, max_lines=2)[0]
    deck.table(slide, x, top, FINDING_COLS, shown, size=10, name="Findings")
    if len(shown) < len(rows):
        deck.text(slide, Box(x, BODY_BOTTOM - 28, width, 28), [_note(
            deck, f"{len(rows) - len(shown)} more findings: see the checked workbook or `accountplan validate`.")],
            name="Note")


SLIDES = (title_slide, objective_slide, agenda_slide, path_slide, opportunities_slides, relationship_slides,
          position_slides, competition_slides, pressure_slides, risk_slides, action_slides, team_slides,
          questions_slide, health_slide)
