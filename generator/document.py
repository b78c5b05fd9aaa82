"""The Word plan document: the whole plan, read end to end by a sponsor, signed up to by the account team.

Sections follow the plan's order under real Word styles (Title, Heading 1-2, List Bullet, a table style), so
Word's navigation pane and table of contents work. The wording lives in `templates/document/plan.j2`, where an
enablement team can change it without touching code; this module decides what goes where. Figures come from
`result.figures` through `fmt`, so the document reads the same as the deck. A section the rep left blank keeps
its heading and says in one sentence that it is missing.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import jinja2
from docx.enum.text import WD_BREAK

from . import PRODUCER, fmt, schema, templates_dir
from .brand import BRAND
from .docx_parts import (Cell, Col, add_contents, add_run, add_table, clean, new_document, page_numbers,
                         save_stamped, text_width)
from .model import stages_of
from .pipeline import Result

TEMPLATES = templates_dir() / "document"
TEMPLATE = "plan.j2"
UNBROKEN = (schema.MONEY, schema.DATE, schema.PERCENT, schema.CHOICE)  # kinds whose cells should not wrap
KIND_CHARS = {schema.MONEY: 11, schema.DATE: 11, schema.PERCENT: 4}  # `$12,500,000`, `15 Dec 2026`
BULLET = "List Bullet"
ROLE_ORDER = {role: i for i, role in enumerate(schema.ROLES)}
LEVEL_ORDER = {level: i for i, level in enumerate(schema.LEVELS)}
STATUS_ORDER = {status: i for i, status in enumerate(schema.WHITESPACE_STATUSES)}
ANSWER_COLOURS = {"Yes": BRAND.good, "Partly": BRAND.fair, "No": BRAND.bad}
DIRECTION_COLOURS = {"Improving": BRAND.good, "Declining": BRAND.bad}
FIGURE_ROWS = ("annual_target", "prior_year_actual", "secured", "forecast", "pipeline", "prospect",
               "weighted_open", "gap_to_target", "uncovered_gap", "pipeline_coverage", "growth")
"""The rows of the figures table, in order; the summary paragraph quotes the same formatted strings."""


def render(result: Result, path: Path) -> None:
    """Write the plan document of `result` to `path` (.docx)."""
    writer = Writer(result, wording())
    writer.cover()
    for key, write_section in SECTIONS:
        writer.heading(writer.words.headings[key])
        write_section(writer)
    writer.save(Path(path))


def wording() -> Any:
    """The template's macros and labels as a module: `words.missing(...)`, `words.headings["summary"]`."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                             autoescape=False, trim_blocks=True, lstrip_blocks=True)
    return env.get_template(TEMPLATE).module


# Text and figures as the document shows them -----------------------------------------------------

def inline(value: Any) -> str | None:
    """A value for running text in a template: one line (a line break reads as a space); None when blank."""
    if value is None or value == "":
        return None
    return clean(fmt.text(value)).replace("\n", " ")


def paragraphs(wording: str) -> list[str]:
    """Template output as paragraphs: a blank line separates them, a line break inside one reads as a space."""
    blocks = re.split(r"\n[ \t]*\n", wording.strip())
    return [re.sub(r"[ \t]*\n[ \t]*", " ", block.strip()) for block in blocks if block.strip()]


def numbers(result: Result) -> dict[str, str | None]:
    """Every figure of the path to the number, formatted once for the summary and the figures table."""
    f = result.figures

    def money(value: float | None) -> str | None:
        return None if value is None else fmt.money(value, f.currency)

    return {
        "period": inline(result.plan.value("plan_period")),
        "annual_target": money(f.annual_target), "prior_year_actual": money(f.prior_year_actual),
        "secured": money(f.secured), "forecast": money(f.forecast), "pipeline": money(f.pipeline),
        "prospect": money(f.prospect), "weighted_open": money(f.weighted_open),
        "gap_to_target": money(f.gap_to_target), "uncovered_gap": money(f.uncovered_gap),
        "pipeline_coverage": None if f.pipeline_coverage is None else fmt.times(f.pipeline_coverage),
        "growth": None if f.growth_vs_prior is None else fmt.signed_share(f.growth_vs_prior),
    }


def schema_col(column: schema.Column) -> Col:
    """A column of one of the plan's lists: money, dates and choices keep their width, text wraps."""
    longest = max(len(word) for text in (column.header, *column.choices) for word in text.split())
    if column.kind in UNBROKEN:
        return Col(column.header, max(longest, KIND_CHARS.get(column.kind, 0)), fixed=True)
    return Col(column.header, max(min(column.width, 30), longest))


def _flag(text: str) -> Cell:
    return Cell(text, BRAND.bad, True)


# The writer: a python-docx document in the plan's styles ---------------------------------------

class Writer:
    """Adds headings, paragraphs and tables in the plan's styles; every text goes through `clean`."""

    def __init__(self, result: Result, words: Any):
        self.result, self.plan, self.figures, self.words = result, result.plan, result.figures, words
        self.doc = new_document()
        self.text_width = text_width(self.doc)

    def label(self, key: str) -> str:
        return self.words.labels[key]

    def money(self, value: float | None) -> str:
        return fmt.money(value, self.figures.currency)

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(clean(text), level)

    def subheading(self, key: str) -> None:
        self.heading(self.words.subheadings[key], 2)

    def para(self, text: str, style: str | None = None, bold: bool = False, colour: str | None = None):
        paragraph = self.doc.add_paragraph(style=style)
        add_run(paragraph, text, bold, colour)
        return paragraph

    def say(self, wording: str, style: str | None = None, colour: str | None = None) -> None:
        """Each paragraph of a template macro's output, in `style`."""
        for text in paragraphs(wording):
            self.para(text, style, colour=colour)

    def text_or_blank(self, label: str, value: Any) -> None:
        """A paragraph of the rep's own text, line breaks kept; says so where it is blank."""
        if value in (None, ""):
            self.say(self.words.not_filled(label), colour=BRAND.muted)
        else:
            self.para(fmt.text(value))

    def missing(self, section: str) -> bool:
        """True, after saying so in one sentence, when the schema's `section` is missing in the plan."""
        if section not in self.figures.completeness.missing:
            return False
        self.say(self.words.missing(section, schema.SECTION_BY_NAME[section].sheet), colour=BRAND.bad)
        return True

    def table(self, caption: str, cols: list[Col], rows: list[list], share: float = 1.0) -> None:
        """A table taking `share` of the text width, `caption` its alternative text (see `add_table`)."""
        add_table(self.doc, caption, cols, rows, self.text_width * share)
        self.doc.add_paragraph()  # keeps what follows off the table's last row

    def list_table(self, table: str, rows: list) -> None:
        """A table of one of the plan's lists, its columns as the schema names them."""
        self.table(table, [schema_col(c) for c in schema.LISTS[table].columns], rows)

    def cells(self, table: str, row: Any, **special: Cell | str) -> list:
        """A list row as cells in schema order: money, dates and shares formatted; `special` cells by attr."""
        return [special[c.attr] if c.attr in special else self._value(c, getattr(row, c.attr))
                for c in schema.LISTS[table].columns]

    def _value(self, column: schema.Column, value: Any) -> str:
        if value is not None and column.kind == schema.MONEY:
            return self.money(value)
        if value is not None and column.kind == schema.PERCENT:
            return fmt.share(value)
        return fmt.text(value)

    # The cover, the header and footer, the contents, the file ---------------------------------

    def cover(self) -> None:
        plan, f = self.plan, self.figures
        self.doc.add_paragraph(clean(plan.account_name or self.words.account_name_missing()), style="Title")
        self.say(self.words.subtitle(inline(plan.value("plan_period"))), style="Subtitle")
        self.missing("Account")  # says so only when the whole section is blank
        position = Cell(f.position, bold=True) if f.position else _flag(self.label("not_placed"))
        facts = [("account_owner", plan.value("account_owner")), ("plan_period", plan.value("plan_period")),
                 ("plan_date", plan.value("plan_date")), ("position", position),
                 ("industry", plan.value("industry")), ("region", plan.value("region")),
                 ("account_tier", plan.value("account_tier")),
                 ("next_review_date", plan.value("next_review_date")), ("as_of", f.as_of)]
        self.table("Cover", [Col(self.label("item"), 14, fixed=True), Col(self.label("value"), 30)],
                   [[self.label(key), value] for key, value in facts], share=0.8)
        self._header_footer()
        self.page_break()
        self._contents()
        self.page_break()

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _header_footer(self) -> None:
        section = self.doc.sections[0]
        header_text = self.words.header(inline(self.plan.account_name), inline(self.plan.value("plan_period")))
        add_run(section.header.paragraphs[0], paragraphs(header_text)[0], colour=BRAND.muted)
        page_numbers(section.footer.paragraphs[0], self.label("page"), self.label("of"))

    def _contents(self) -> None:
        """The contents, listing the sections, and a hint on updating it where Word has not."""
        self.doc.add_paragraph(clean(self.words.headings["contents"]), style="TOC Heading")
        add_contents(self.doc, [self.words.headings[key] for key, _ in SECTIONS])
        self.say(self.words.toc_hint(), colour=BRAND.muted)

    def save(self, path: Path) -> None:
        """Save with core properties and zip entry times from `as_of`, so each run writes the same bytes."""
        when = dt.datetime.combine(self.figures.as_of, dt.time())
        props = self.doc.core_properties
        props.title = _property(self.plan.account_name)
        props.author = _property(self.plan.value("account_owner") or "")
        props.subject = _property(paragraphs(self.words.subtitle(inline(self.plan.value("plan_period"))))[0])
        props.last_modified_by = PRODUCER
        props.created = props.modified = props.last_printed = when
        props.revision = 1
        save_stamped(self.doc, path, when)


# Sections, in the plan's order ------------------------------------------------------------------

def summary(w: Writer) -> None:
    """What a sponsor reads if nothing else: standing, objective, the number, three leadership questions."""
    plan, f, words = w.plan, w.figures, w.words
    value = plan.value("objective_value")
    objective = {"title": inline(plan.value("objective_title")), "value": None if value is None else w.money(value),
                 "sponsor": inline(plan.value("objective_sponsor")), "why_now": inline(plan.value("objective_why_now")),
                 "decision_date": inline(plan.value("objective_decision_date")),
                 "gap": None if f.gap_to_target is None else w.money(f.gap_to_target)}
    w.say(words.standing(inline(plan.account_name), f.position, inline(plan.value("plan_period")),
                         fmt.share(f.completeness.overall), len(w.result.findings)))
    w.say(words.objective_summary(objective))
    w.say(words.path_summary(numbers(w.result)))
    w.subheading("question_objective")
    w.say(words.objective_answer(objective), BULLET)
    w.subheading("question_relationships")
    w.say(words.relationships_answer({
        "stakeholders": len(plan.stakeholders),
        "uncovered_stages": [stage for stage, roles in f.stage_coverage.items() if not roles],
        "decision_makers": [_person_and_relationship(plan.stakeholders[i]) for i in f.decision_makers],
        "exposed_stages": f.exposed_stages}), BULLET)
    w.subheading("question_action")
    w.say(words.next_action_answer(_next_action(w)), BULLET)


def _person_and_relationship(stakeholder: Any) -> str:
    return f"{inline(stakeholder.name) or fmt.NONE} ({fmt.text(stakeholder.relationship)})"


def _next_action(w: Writer) -> dict[str, Any]:
    index = w.figures.next_action
    if index is None:
        return {"action": None}
    action = w.plan.actions[index]
    return {"action": inline(action.action) or fmt.NONE, "owner": inline(action.owner),
            "due": inline(action.due_date), "overdue": index in w.figures.overdue_actions,
            "status": inline(action.status) or w.label("not_started")}


def overview(w: Writer) -> None:
    for key in ("customer_overview", "macro_environment"):
        w.subheading(key)
        w.text_or_blank(schema.FIELDS[key].label, w.plan.value(key))
    w.subheading("agenda")
    if not w.missing("Customer agenda"):
        w.list_table("CustomerPriorities", [w.cells("CustomerPriorities", p) for p in w.plan.priorities])


def path_to_number(w: Writer) -> None:
    if w.missing("Path to the number"):
        return
    plan, f = w.plan, w.figures
    w.say(w.words.path_intro())
    w.subheading("figures")
    shown = numbers(w.result)
    rows = [[w.label(key), shown[key] or fmt.NONE] for key in FIGURE_ROWS]
    gap_row = FIGURE_ROWS.index("gap_to_target")
    rows[gap_row] = [_flag(cell) for cell in rows[gap_row]]
    w.table("Figures", [Col(w.label("figure"), 20), Col(w.label("value"), 12, fixed=True)], rows, share=0.6)
    w.subheading("opportunities")
    if not plan.opportunities:
        w.say(w.words.no_opportunities())
        return
    rows = [w.cells("Opportunities", o, probability=fmt.share(f.probabilities[i]),
                    close_date=_flag(f"{fmt.date(o.close_date)} · {w.label('passed')}") if i in f.past_close
                    else fmt.date(o.close_date))
            for i, o in enumerate(plan.opportunities)]
    w.list_table("Opportunities", rows)
    if f.past_close:
        w.say(w.words.past_close(len(f.past_close)), colour=BRAND.bad)


def objective(w: Writer) -> None:
    if w.missing("Objective"):
        return
    plan, title = w.plan, w.plan.value("objective_title")
    if title:
        w.para(fmt.text(title), bold=True, colour=BRAND.primary)
    else:
        w.text_or_blank(schema.FIELDS["objective_title"].label, title)
    w.text_or_blank(schema.FIELDS["objective_description"].label, plan.value("objective_description"))
    rows = [[w.label("objective_value"), w.money(plan.value("objective_value"))],
            *([w.label(key), plan.value(key)] for key in
              ("objective_decision_date", "objective_sponsor", "objective_why_now"))]
    w.table("Objective", [Col(w.label("item"), 13, fixed=True), Col(w.label("value"), 40)], rows)


def relationships(w: Writer) -> None:
    if w.missing("Relationships"):
        return
    plan, f = w.plan, w.figures
    people = sorted(plan.stakeholders, key=lambda s: ROLE_ORDER.get(s.role, len(ROLE_ORDER)))
    w.subheading("stakeholders")
    spec = schema.LISTS["Stakeholders"]
    marks = [Col(stage, 4, fixed=True, vertical=True, fill=BRAND.bad if stage in f.exposed_stages else BRAND.primary)
             for stage in schema.BUYING_STAGES]  # an exposed stage's header in red
    cols = [Col(w.label("stakeholder"), 30), schema_col(spec.column("role")),
            schema_col(spec.column("relationship")), *marks]
    w.table("Stakeholders", cols, [_stakeholder_row(w, s) for s in people])
    w.say(w.words.exposed(f.exposed_stages), colour=BRAND.bad if f.exposed_stages else None)
    if not f.decision_makers:
        w.say(w.words.no_decision_maker(), colour=BRAND.bad)
    w.subheading("drivers")
    attrs = ("name", "personal_drivers", "our_contact", "next_action", "rising_star")
    w.table("Stakeholder drivers", [schema_col(spec.column(attr)) for attr in attrs],
            [[fmt.text(getattr(s, attr)) for attr in attrs] for s in people])


def _stakeholder_row(w: Writer, stakeholder: Any) -> list:
    involved = set(stages_of(stakeholder))
    person = ", ".join(fmt.text(v) for v in (stakeholder.name, stakeholder.title, stakeholder.department) if v)
    relationship = Cell(fmt.text(stakeholder.relationship), BRAND.relationship_colour(stakeholder.relationship),
                        True)
    return [person or fmt.NONE, fmt.text(stakeholder.role), relationship,
            *(Cell(w.label("stage_mark") if stage in involved else "") for stage in schema.BUYING_STAGES)]


def components(w: Writer) -> None:
    if w.missing("Five components"):
        return
    for field in schema.SECTION_BY_NAME["Five components"].fields:
        w.heading(field.label, 2)
        w.text_or_blank(field.label, w.plan.value(field.name))


def competition(w: Writer) -> None:
    if not w.missing("Competition"):
        w.list_table("Competitors", [w.cells("Competitors", c) for c in w.plan.competitors])


def whitespace(w: Writer) -> None:
    if w.missing("Whitespace"):
        return
    w.say(w.words.whitespace_open(w.money(w.figures.whitespace_open)))
    items = sorted(w.plan.whitespace, key=lambda i: STATUS_ORDER.get(i.status, len(STATUS_ORDER)))
    w.list_table("Whitespace", [w.cells("Whitespace", i) for i in items])


def pressure_test(w: Writer) -> None:
    if w.missing("Pressure test"):
        return
    readiness = w.figures.readiness
    w.say(w.words.readiness(None if readiness is None else fmt.share(readiness)))
    rows = [w.cells("PressureTest", q, answer=Cell(q.answer or w.label("not_answered"),
                                                   ANSWER_COLOURS.get(q.answer, BRAND.unknown), True))
            for q in w.plan.pressure_test]
    w.list_table("PressureTest", rows)


def risks(w: Writer) -> None:
    if w.missing("Risks"):
        return
    ordered = sorted(w.plan.risks, key=lambda r: (LEVEL_ORDER.get(r.impact, 3), LEVEL_ORDER.get(r.likelihood, 3)))
    rows = [w.cells("Risks", r, impact=_flag(r.impact) if r.impact == "High" else fmt.text(r.impact),
                    owner=fmt.text(r.owner) if r.owner else _flag(w.label("no_owner")))
            for r in ordered]
    w.list_table("Risks", rows)


def action_plan(w: Writer) -> None:
    """Every action, open ones first by due date, each with its owner, date and status; overdue in red."""
    if w.missing("Action plan"):
        return
    plan, f = w.plan, w.figures
    w.say(w.words.action_counts(f.actions))
    done = [i for i in range(len(plan.actions)) if i not in set(f.open_actions)]
    rows = [_action_row(w, plan.actions[i], i in f.overdue_actions) for i in (*f.open_actions, *done)]
    w.list_table("Actions", rows)


def _action_row(w: Writer, action: Any, overdue: bool) -> list:
    if overdue:
        due = _flag(f"{fmt.date(action.due_date)} · {w.label('overdue')}")
    else:
        due = fmt.date(action.due_date) if action.due_date else _flag(w.label("no_due_date"))
    status = action.status or w.label("not_started")
    return w.cells("Actions", action, due_date=due, status=_flag(status) if status == "Blocked" else status,
                   owner=fmt.text(action.owner) if action.owner else _flag(w.label("no_owner")))


def team(w: Writer) -> None:
    if not w.missing("Account team"):
        w.list_table("AccountTeam", [w.cells("AccountTeam", m) for m in w.plan.team])


def health(w: Writer) -> None:
    if w.missing("Relationship health"):
        return
    rows = [w.cells("HealthSignals", s, direction=Cell(fmt.text(s.direction),
                                                       DIRECTION_COLOURS.get(s.direction), True))
            for s in w.plan.health_signals]
    w.list_table("HealthSignals", rows)


def reviews(w: Writer) -> None:
    if not w.missing("Review log"):
        w.list_table("Reviews", [w.cells("Reviews", r) for r in w.plan.reviews])


def plan_health(w: Writer) -> None:
    """Every finding with the sheet and cell to fix, after how complete each section is."""
    c = w.figures.completeness
    w.say(w.words.plan_health(fmt.share(c.overall), c.missing, c.incomplete))
    w.subheading("completeness")
    w.table("Completeness", [Col(w.label("section"), 20), Col(w.label("complete"), 10, fixed=True),
                             Col(w.label("status"), 12, fixed=True)],
            [[name, fmt.share(share), _section_status(w, name)] for name, share in c.sections.items()], share=0.7)
    w.subheading("findings")
    if not w.result.findings:
        w.say(w.words.no_findings())
        return
    w.say(w.words.findings_intro(len(w.result.findings)))
    w.table("Findings", [Col(w.label("severity"), 8, fixed=True), Col(w.label("section"), 14),
                         Col(w.label("sheet"), 12), Col(w.label("cell"), 5, fixed=True), Col(w.label("finding"), 34),
                         Col(w.label("what_to_do"), 24)],
            [[Cell(f.severity.capitalize(), BRAND.bad if f.severity == "error" else BRAND.fair, True),
              f.section, f.sheet, f.cell, f.message, f.hint] for f in w.result.findings])


def _section_status(w: Writer, name: str) -> Cell:
    c = w.figures.completeness
    if name in c.missing:
        return _flag(w.label("missing"))
    if name in c.incomplete:
        return Cell(w.label("incomplete"), BRAND.fair, True)
    return Cell(w.label("complete"), BRAND.good)


SECTIONS = (("summary", summary), ("overview", overview), ("path", path_to_number), ("objective", objective),
            ("relationships", relationships), ("components", components), ("competition", competition),
            ("whitespace", whitespace), ("pressure", pressure_test), ("risks", risks), ("actions", action_plan),
            ("team", team), ("health", health), ("reviews", reviews), ("appendix", plan_health))
"""Each Heading 1 of the document (its key in the template's `headings`) and what writes its body."""


def _property(text: str) -> str:
    """A core property as Word allows it: clean, at most 255 characters."""
    text = clean(text)
    return text if len(text) <= 255 else text[:254] + "…"
