"""One view of a plan, built once: what every output shows, in which order, formatted and marked.

The assessment (plan, figures, findings) and the kit go in; a `PlanView` comes out. It decides, once
for every output, how each value reads (money, dates, shares), which rows come first, what is marked and
in which tone (`good`, `fair`, `bad`, `accent`, `muted`, `unknown`: a renderer maps a tone to its brand's
colour), and the wording of the figures and of the three leadership answers. The deck, the document, the
checked workbook and the text report lay this view out; none of them re-reads the plan, adds up or
re-words. Every section, list and column of the definition has its place here, so a section a renderer
does not know still reaches it (as `SectionView`s with fields and lists) and can be laid out generically.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import fmt
from .plan import schema
from .assess.figures import DUE_SOON_DAYS, Figures
from .assess.findings import ERROR
from .kit import Kit
from .plan.model import Plan

# Tones: how a cell or line is marked. Each is also the name of a `Brand` colour.
GOOD, FAIR, BAD, ACCENT, MUTED, UNKNOWN = "good", "fair", "bad", "accent", "muted", "unknown"


@dataclass(frozen=True)
class Cell:
    """One value as every output shows it: its text, its tone, whether it stands out, its kind."""

    text: str
    tone: str | None = None
    strong: bool = False
    kind: str = schema.TEXT
    value: Any = None          # the typed value behind the text (a number for money), None when blank
    invalid: bool = False      # the rep typed something here that could not be used (an error finding)

    @property
    def right_aligned(self) -> bool:
        return self.kind in (schema.MONEY, schema.PERCENT)


@dataclass(frozen=True)
class Figure:
    """A computed figure as a line: stable key, label, kind, raw value and formatted text."""

    key: str
    label: str
    kind: str                  # money, share, signed_share, times, count, date, text
    value: Any
    text: str                  # as tables show it (money in whole units)
    tone: str | None = None
    short: str = ""            # as headlines, charts and callouts show it (money scaled: `$1.45M`)


@dataclass(frozen=True)
class Column:
    attr: str
    header: str
    kind: str
    required: bool = False
    width: int = 18                # the characters the definition sizes the column for
    choices: tuple[str, ...] = ()  # the words a choice column may hold (a layout sizes the column by them)

    @property
    def right_aligned(self) -> bool:
        """Whether the column's values line up on the right (money, shares), as its cells do."""
        return self.kind in (schema.MONEY, schema.PERCENT)


@dataclass(frozen=True)
class Row:
    """A list row: a cell per column (by attr), its flags (`overdue`, `blocked`, ...), its worksheet row."""

    cells: dict[str, Cell]
    flags: frozenset[str] = frozenset()
    excel_row: int = 0
    index: int = 0                 # its place in the plan's list, the order it was typed in
    values: dict[str, Any] = field(default_factory=dict)   # the plan's typed values by attr, before any mark

    def __getitem__(self, attr: str) -> Cell:
        return self.cells[attr]


@dataclass(frozen=True)
class ListView:
    table: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]          # in the order every output shows them

    def column(self, attr: str) -> Column:
        return next(c for c in self.columns if c.attr == attr)

    def rows_with(self, flag: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if flag in r.flags)


@dataclass(frozen=True)
class FieldView:
    name: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class SectionView:
    name: str
    sheet: str
    purpose: str
    status: str                    # complete, incomplete or missing
    share: float
    share_text: str
    missing_text: str              # the one sentence an output shows for a missing section
    fields: tuple[FieldView, ...] = ()
    lists: tuple[ListView, ...] = ()
    status_cell: Cell | None = None  # the status as every output marks it (its word and tone)

    @property
    def missing(self) -> bool:
        return self.status == "missing"

    @property
    def incomplete(self) -> bool:
        return self.status == "incomplete"

    def field(self, name: str) -> FieldView:
        return next(f for f in self.fields if f.name == name)

    def list(self, table: str) -> ListView:
        return next(spec for spec in self.lists if spec.table == table)


@dataclass(frozen=True)
class Line:
    """A line of an answer; `gap` marks what the plan does not say yet."""

    text: str
    gap: bool = False


@dataclass(frozen=True)
class Answer:
    key: str
    question: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class FindingLine:
    severity: str
    code: str
    section: str
    sheet: str
    cell: str
    where: str                     # `Sheet!C4`, or the wording for the whole workbook
    message: str
    hint: str

    @property
    def tone(self) -> str:
        return BAD if self.severity == ERROR else FAIR


@dataclass(frozen=True)
class PlanView:
    account: str                   # the account's name, or the wording that says it is missing
    account_missing: bool
    currency: str
    as_of: dt.date
    position: str | None
    figures: dict[str, Figure]
    sections: tuple[SectionView, ...]
    answers: tuple[Answer, ...]
    findings: tuple[FindingLine, ...]
    action_summary: str
    errors: int = 0
    warnings: int = 0
    facts: dict[str, Cell] = field(default_factory=dict)   # single fields by name, for covers and titles

    def section(self, name: str) -> SectionView:
        return next(s for s in self.sections if s.name == name)

    def list(self, table: str) -> ListView:
        return next(spec for s in self.sections for spec in s.lists if spec.table == table)

    def fact(self, name: str) -> Cell:
        return self.facts[name]

    def figure(self, key: str) -> Figure:
        return self.figures[key]


# Building the view ---------------------------------------------------------------------------------

def build_view(plan: Plan, figures: Figures, findings: list, kit: Kit) -> PlanView:
    """The one view of an assessed plan, in `kit`'s definition and wording."""
    d, words = kit.definition, kit.wording
    money = _Money(figures.currency)
    invalid = {(f.sheet, f.cell) for f in findings if f.severity == ERROR and f.sheet}
    facts = {item.name: _field_cell(plan, item, money, invalid) for item in d.fields.values()}
    sections = tuple(_section(plan, figures, s, kit, money, invalid, facts) for s in d.sections)
    return PlanView(
        account=plan.account_name or words.mark("account_name_missing"),
        account_missing=not plan.account_name,
        currency=figures.currency,
        as_of=figures.as_of,
        position=figures.position,
        figures=_figures(figures, kit, money),
        sections=sections,
        answers=_answers(plan, figures, kit, money),
        findings=tuple(_finding(f, words) for f in findings),
        action_summary=words.say("action_counts", days=DUE_SOON_DAYS, **vars(figures.actions)),
        errors=sum(1 for f in findings if f.severity == ERROR),
        warnings=sum(1 for f in findings if f.severity == "warning"),
        facts=facts,
    )


class _Money:
    """The plan's one money rule, so every output rounds and writes money alike."""

    def __init__(self, currency: str):
        self.currency = currency

    def __call__(self, value: float | None) -> str:
        return fmt.money(value, self.currency)


def _figures(f: Figures, kit: Kit, money: _Money) -> dict[str, Figure]:
    labels = kit.wording.figures
    a = f.actions

    def line(key: str, kind: str, value: Any, text: str, tone: str | None = None) -> tuple[str, Figure]:
        short = fmt.money_short(value, f.currency) if kind == "money" else text
        return key, Figure(key, labels[key].format(days=DUE_SOON_DAYS), kind, value, text, tone, short)

    return dict([
        line("as_of", "date", f.as_of, fmt.date(f.as_of)),
        line("position", "text", f.position, f.position or fmt.NONE),
        *(line(key, "money", getattr(f, key), money(getattr(f, key))) for key in
          ("annual_target", "prior_year_actual", "secured", "forecast", "pipeline", "prospect", "weighted_open")),
        line("gap_to_target", "money", f.gap_to_target, money(f.gap_to_target), BAD),
        line("uncovered_gap", "money", f.uncovered_gap, money(f.uncovered_gap)),
        line("pipeline_coverage", "times", f.pipeline_coverage, fmt.times(f.pipeline_coverage)),
        line("growth_vs_prior", "signed_share", f.growth_vs_prior, fmt.signed_share(f.growth_vs_prior)),
        line("whitespace_open", "money", f.whitespace_open, money(f.whitespace_open)),
        line("exposed_stages", "text", tuple(f.exposed_stages), ", ".join(f.exposed_stages) or fmt.NONE,
             BAD if f.exposed_stages else None),
        line("readiness", "share", f.readiness, fmt.share(f.readiness)),
        line("completeness", "share", f.completeness.overall, fmt.share(f.completeness.overall)),
        line("actions_open", "count", a.open, str(a.open)),
        line("actions_done", "count", a.done, str(a.done)),
        line("actions_blocked", "count", a.blocked, str(a.blocked), BAD if a.blocked else None),
        line("actions_overdue", "count", a.overdue, str(a.overdue), BAD if a.overdue else None),
        line("actions_due_soon", "count", a.due_soon, str(a.due_soon)),
    ])


def _value_cell(kind: str, value: Any, money: _Money, place=None, invalid: frozenset | set = frozenset()) -> Cell:
    """A typed value as text in its kind's format; blank shows the dash, an unusable value is marked."""
    bad = place is not None and (place.sheet, place.cell) in invalid
    if value is None or value == "":
        return Cell(fmt.NONE, BAD if bad else None, bad, kind, None, bad)
    if kind == schema.MONEY:
        text = money(value)
    elif kind == schema.PERCENT:
        text = fmt.share(value)
    else:
        text = fmt.text(value)
    return Cell(text, kind=kind, value=value)


def _field_cell(plan: Plan, item: schema.Field, money: _Money, invalid: set) -> Cell:
    return _value_cell(item.kind, plan.fields.get(item.name), money, plan.places.get(item.name), invalid)


def _section(plan: Plan, f: Figures, section: schema.Section, kit: Kit, money: _Money, invalid: set,
             facts: dict[str, Cell]) -> SectionView:
    c = f.completeness
    status = "missing" if section.name in c.missing else "incomplete" if section.name in c.incomplete \
        else "complete"
    share = c.sections.get(section.name, 1.0)
    return SectionView(
        name=section.name, sheet=section.sheet, purpose=section.purpose, status=status, share=share,
        share_text=fmt.share(share),
        missing_text=kit.wording.say("section_missing", section=section.name, sheet=section.sheet),
        fields=tuple(FieldView(item.name, item.label, facts[item.name]) for item in section.fields),
        lists=tuple(_list(plan, f, spec, kit, money, invalid) for spec in section.lists),
        status_cell=Cell(kit.wording.mark(status), STATUS_TONES[status], status != "complete", schema.CHOICE, status),
    )


STATUS_TONES = {"complete": GOOD, "incomplete": FAIR, "missing": BAD}


# Lists: cells, flags and order, with the rules that mark a row -------------------------------------

def _list(plan: Plan, f: Figures, spec: schema.ListSpec, kit: Kit, money: _Money, invalid: set) -> ListView:
    columns = tuple(Column(c.attr, c.header, c.kind, c.required, c.width, c.choices) for c in spec.columns)
    rule = ROW_RULES.get(spec.table, _plain)
    rows = plan.lists.get(spec.table, [])          # a kit's own list the plan was not read with: no rows
    order = ORDERS.get(spec.table, lambda plan, f, d: range(len(rows)))
    made = []
    for i in order(plan, f, kit.definition):
        row = rows[i]
        cells = {c.attr: _value_cell(c.kind, getattr(row, c.attr), money, row.place(c.attr), invalid)
                 for c in spec.columns}
        special, flags = rule(row, i, f, kit, money)
        made.append(Row({**cells, **special}, frozenset(flags), row.excel_row, i,
                        {c.attr: getattr(row, c.attr) for c in spec.columns}))
    return ListView(spec.table, columns, tuple(made))


def _plain(row, i, f, kit, money):
    return {}, ()


def _flag(text: str, kind: str = schema.TEXT, value: Any = None) -> Cell:
    return Cell(text, BAD, True, kind, value)


def _opportunity(row, i, f: Figures, kit: Kit, money):
    special = {"probability": Cell(fmt.share(f.probabilities[i]), kind=schema.PERCENT, value=f.probabilities[i])}
    flags = []
    if i in f.past_close:
        special["close_date"] = _flag(kit.wording.mark("passed", date=fmt.date(row.close_date)), schema.DATE,
                                      row.close_date)
        flags.append("past-close")
    return special, flags


def _stakeholder(row, i, f: Figures, kit: Kit, money):
    d = kit.definition
    tone = relationship_tone(row.relationship, d)
    special = {"relationship": Cell(fmt.text(row.relationship), tone, True, schema.CHOICE, row.relationship)}
    flags = ["decision-maker"] if i in f.decision_makers else []
    for stage in d.buying_stages:
        attr = schema._attr(stage)
        if getattr(row, attr):
            special[attr] = Cell(SHORT_RELATIONSHIP.get(row.relationship, "Unknown"), tone, True, schema.MARK, True)
        else:
            special[attr] = Cell("", kind=schema.MARK, value=False)
    return special, flags


SHORT_RELATIONSHIP = {"Trusted advisor": "Trusted", "Building trust": "Building", "Poor": "Poor"}


def relationship_tone(relationship: str | None, d: schema.Definition) -> str:
    if relationship == d.trusted_advisor:
        return GOOD
    if relationship in d.strong_relationships:
        return FAIR
    if relationship in d.weak_relationships[:1]:
        return BAD
    return UNKNOWN


def _priority(row, i, f, kit: Kit, money):
    validated = row.validated == kit.definition.yes
    return {"validated": Cell("Validated" if validated else "Not validated", GOOD if validated else MUTED,
                              validated, schema.CHOICE, row.validated)}, ()


def _whitespace(row, i, f, kit: Kit, money):
    if row.status == kit.definition.open_whitespace:
        return {"status": Cell(row.status, ACCENT, True, schema.CHOICE, row.status)}, ("open",)
    return {}, ()


ANSWER_TONES = {"Yes": GOOD, "Partly": FAIR, "No": BAD}


def _question(row, i, f, kit: Kit, money):
    if row.answer:
        return {"answer": Cell(row.answer, ANSWER_TONES.get(row.answer, UNKNOWN), True, schema.CHOICE, row.answer)}, ()
    return {"answer": Cell(kit.wording.mark("not_answered"), UNKNOWN, True, schema.CHOICE)}, ("unanswered",)


def _risk(row, i, f, kit: Kit, money):
    d, words = kit.definition, kit.wording
    high = row.impact == d.high
    special, flags = {}, []
    if high:
        special["impact"] = _flag(row.impact, schema.CHOICE, row.impact)
        flags.append("high")
    if row.likelihood == d.high:
        special["likelihood"] = _flag(row.likelihood, schema.CHOICE, row.likelihood)
    if not row.mitigation:
        special["mitigation"] = Cell(words.mark("no_mitigation"), BAD if high else MUTED, high)
    if not row.owner:
        special["owner"] = _flag(words.mark("no_owner"))
    if high and not (row.mitigation and row.owner):
        flags.append("unmitigated")
    return special, flags


def _action(row, i, f: Figures, kit: Kit, money):
    d, words = kit.definition, kit.wording
    status = row.status or d.default_status
    special = {"status": _flag(status, schema.CHOICE, status) if status == d.blocked
               else Cell(status, kind=schema.CHOICE, value=status)}
    flags = ["open"] if i in f.open_actions else ["done"]
    if i in f.overdue_actions:
        special["due_date"] = _flag(words.mark("overdue", date=fmt.date(row.due_date)), schema.DATE, row.due_date)
        flags.append("overdue")
    elif row.due_date is None:
        special["due_date"] = _flag(words.mark("no_due_date"), schema.DATE)
    if i in f.due_soon_actions:
        flags.append("due-soon")
    if status == d.blocked:
        flags.append("blocked")
    if not row.owner:
        special["owner"] = _flag(words.mark("no_owner"))
    if i == f.next_action:
        flags.append("next")
    return special, flags


DIRECTION_TONES = {"Improving": GOOD, "Declining": BAD}


def _signal(row, i, f, kit: Kit, money):
    if row.direction:
        return {"direction": Cell(row.direction, DIRECTION_TONES.get(row.direction), True, schema.CHOICE,
                                  row.direction)}, ()
    return {}, ()


ROW_RULES = {"CustomerPriorities": _priority, "Opportunities": _opportunity, "Stakeholders": _stakeholder,
             "Whitespace": _whitespace, "PressureTest": _question, "Risks": _risk, "Actions": _action,
             "HealthSignals": _signal}
"""What marks a row of each list; a list without a rule (a kit's own) shows its values plainly."""


def _by_role(plan: Plan, f: Figures, d: schema.Definition):
    order = {role: i for i, role in enumerate(d.roles)}
    return sorted(range(len(plan.stakeholders)), key=lambda i: order.get(plan.stakeholders[i].role, len(order)))


def _by_level(plan: Plan, f: Figures, d: schema.Definition):
    order = {level: i for i, level in enumerate(d.levels)}
    return sorted(range(len(plan.risks)), key=lambda i: (order.get(plan.risks[i].impact, len(order)),
                                                         order.get(plan.risks[i].likelihood, len(order))))


def _by_status(plan: Plan, f: Figures, d: schema.Definition):
    order = {status: i for i, status in enumerate(d.whitespace_statuses)}
    return sorted(range(len(plan.whitespace)), key=lambda i: order.get(plan.whitespace[i].status, len(order)))


def _open_first(plan: Plan, f: Figures, d: schema.Definition):
    opened = set(f.open_actions)
    return [*f.open_actions, *(i for i in range(len(plan.actions)) if i not in opened)]


ORDERS = {"Stakeholders": _by_role, "Risks": _by_level, "Whitespace": _by_status, "Actions": _open_first}
"""The one order each list is shown in, in every output (others keep the workbook's order)."""


# The three leadership answers ----------------------------------------------------------------------

def _answers(plan: Plan, f: Figures, kit: Kit, money: _Money) -> tuple[Answer, ...]:
    q = kit.wording.questions
    return (Answer("objective", q["objective"], tuple(_objective_answer(plan, f, kit, money))),
            Answer("relationships", q["relationships"], tuple(_relationships_answer(plan, f, kit))),
            Answer("next_action", q["next_action"], tuple(_next_action_answer(plan, f, kit))))


def _objective_answer(plan: Plan, f: Figures, kit: Kit, money: _Money):
    say = kit.wording.say
    title, value, why = (plan.value(n) for n in ("objective_title", "objective_value", "objective_why_now"))
    if not title:
        yield Line(say("no_objective"), True)
        return
    yield Line(_one_line(title))
    if value is None:
        yield Line(say("no_objective_value"), True)
    elif f.gap_to_target is not None:
        yield Line(say("worth_against_gap", value=money(value), gap=money(f.gap_to_target)))
    else:
        yield Line(say("worth_no_gap", value=money(value)), True)
    yield Line(say("why_now", why=_one_line(why))) if why else Line(say("no_why_now"), True)


def _relationships_answer(plan: Plan, f: Figures, kit: Kit):
    say = kit.wording.say
    if not plan.stakeholders:
        yield Line(say("no_stakeholders"), True)
        return
    empty = [stage for stage, roles in f.stage_coverage.items() if not roles]
    yield Line(say("stages_uncovered", stages=", ".join(empty)), True) if empty else Line(say("stages_covered"))
    if f.decision_makers:
        people = "; ".join(f"{_one_line(plan.stakeholders[i].name)} ({fmt.text(plan.stakeholders[i].relationship)})"
                           for i in f.decision_makers)
        yield Line(say("decision_makers", people=people))
    else:
        yield Line(say("no_decision_maker"), True)
    yield Line(say("exposed", stages=", ".join(f.exposed_stages)), True) if f.exposed_stages \
        else Line(say("not_exposed"))


def _next_action_answer(plan: Plan, f: Figures, kit: Kit):
    say, d = kit.wording.say, kit.definition
    if f.next_action is None:
        yield Line(say("no_open_action"), True)
        return
    action = plan.actions[f.next_action]
    overdue = f.next_action in f.overdue_actions
    yield Line(_one_line(action.action) or fmt.NONE)
    yield Line(say("owner", owner=_one_line(action.owner))) if action.owner else Line(say("no_owner_line"), True)
    if action.due_date:
        yield Line(say("due_overdue" if overdue else "due", date=fmt.date(action.due_date)), overdue)
    else:
        yield Line(say("no_due_line"), True)
    status = action.status or d.default_status
    yield Line(say("status", status=status), status == d.blocked)


def _one_line(value: Any) -> str:
    return " ".join(fmt.text(value).split()) if value not in (None, "") else ""


def _finding(f, words) -> FindingLine:
    where = "!".join(part for part in (f.sheet, f.cell) if part) or words.mark("whole_workbook")
    return FindingLine(f.severity, f.code, f.section, f.sheet, f.cell, where, f.message, f.hint)
