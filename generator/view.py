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
from dataclasses import field
from typing import Any

from . import fmt
from .plan import schema
from .assess.figures import DUE_SOON_DAYS, Figures
from .assess.findings import ERROR
from .kit import Kit
from .plan.model import Plan
from .records import record

# Tones: how a cell or line is marked. Each is also the name of a `Brand` colour.
GOOD, FAIR, BAD, ACCENT, MUTED, UNKNOWN = "good", "fair", "bad", "accent", "muted", "unknown"


@record
class Cell:
    """One value as every output shows it: its text, its tone, whether it stands out, its kind."""

    text: str
    tone: str | None = None
    strong: bool = False
    kind: str = schema.TEXT
    value: Any = None          # the typed value behind the text (a number for money), None when blank
    invalid: bool = False      # the rep typed something here that could not be used (an error finding): the
                               # text is what they typed, as typed (`Won`, `150%`), the value None
    note: str = ""             # a word on a marked cell, e.g. what the figures use instead (`40% used`)

    @property
    def right_aligned(self) -> bool:
        return self.kind in (schema.MONEY, schema.PERCENT)


@record
class Figure:
    """A computed figure as a line: stable key, label, kind, raw value and formatted text."""

    key: str
    label: str
    kind: str                  # money, share, signed_share, times, count, date, text
    value: Any
    text: str                  # as tables show it (money in whole units)
    tone: str | None = None
    short: str = ""            # as headlines, charts and callouts show it (money scaled: `$1.45M`)


@record
class Column:
    """A list's column as the outputs show it: header, kind, and how wide and aligned it should be."""

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


@record
class Row:
    """A list row: a cell per column (by attr), its flags (`overdue`, `blocked`, ...), its worksheet row."""

    cells: dict[str, Cell]
    flags: frozenset[str] = frozenset()
    excel_row: int = 0
    index: int = 0                 # its place in the plan's list, the order it was typed in
    values: dict[str, Any] = field(default_factory=dict)   # the plan's typed values by attr, before any mark

    def __getitem__(self, attr: str) -> Cell:
        return self.cells[attr]


@record
class ListView:
    """A list of the plan with its rows in the one order every output shows them."""

    table: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]          # in the order every output shows them

    def column(self, attr: str) -> Column:
        return next(c for c in self.columns if c.attr == attr)

    def rows_with(self, flag: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if flag in r.flags)

    money: Any = field(default=None, compare=False, repr=False)   # the plan's money rule, for totals

    def total(self, attr: str, rows: tuple[Row, ...] | None = None) -> Figure:
        """What a money column adds up to, over `rows` (all of the list's by default), as a figure line."""
        value = sum(_number(r.values.get(attr)) for r in (self.rows if rows is None else rows))
        text, short = (self.money(value), self.money.short(value)) if self.money else (fmt.text(value),) * 2
        return Figure(f"{self.table}.{attr}", self.column(attr).header, "money", value, text, None, short)

    def ranked(self, attr: str) -> tuple[Row, ...]:
        """The rows by a number column, largest first, blanks last (ties in the list's own order)."""
        return tuple(sorted(self.rows, key=lambda r: (r.values.get(attr) is None, -_number(r.values.get(attr)))))

    def summary(self, count: int, by: str | None = None, total: str | None = None) -> Summary:
        """The first `count` rows (by the number column `by`, largest first, else in the list's order), with
        how many are left out and, for a money column `total`, what they and the whole list are worth."""
        rows = self.ranked(by) if by else self.rows
        shown, rest = rows[:max(0, count)], rows[max(0, count):]
        return Summary(shown, len(rest), self.total(total, rest) if total else None,
                       self.total(total) if total else None)

    def subtotals(self, group: str, attr: str) -> tuple[Subtotal, ...]:
        """Rows counted and a money column added up by a choice column, in the choices' order; rows with
        another or no choice last, as `unset`."""
        choices = self.column(group).choices
        groups: dict[Any, list[Row]] = {choice: [] for choice in choices}
        for row in self.rows:
            value = row.values.get(group)
            groups.setdefault(value if value in groups else None, []).append(row)
        return tuple(Subtotal(fmt.text(key) if key is not None else UNSET, len(rows), self.total(attr, tuple(rows)))
                     for key, rows in groups.items() if rows)


UNSET = "Not set"
"""The group of rows whose choice is blank or not one of the column's."""


def _number(value: Any) -> float:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


@record
class Summary:
    """A long list cut to the rows a page shows: those rows, how many are left out, what those and the whole
    list are worth (figure lines, None when no money column was asked for)."""

    shown: tuple[Row, ...]
    rest_count: int
    rest_total: Figure | None = None
    total: Figure | None = None


@record
class Subtotal:
    """A group's count and total in a list (e.g. the opportunities of one stage)."""

    label: str
    count: int
    total: Figure


@record
class Step:
    """One bar of the path to the number: a figure placed on the way, from `start` for `value`.

    `role`: `secured`, `open` (an open stage weighted by probability), `gap` (what is still uncovered, ending
    at the target), `surplus` (above the target, when the weighted pipeline covers the gap) or `total`
    (the target itself, from zero).
    """

    key: str
    label: str
    role: str
    start: float
    value: float
    text: str
    short: str
    tone: str | None = None

    @property
    def end(self) -> float:
        return self.start + self.value


@record
class FieldView:
    """A single field of a section: its label and its formatted, marked value."""

    name: str
    label: str
    cell: Cell


@record
class SectionView:
    """A section with its status, share filled in, fields and lists."""

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


@record
class Line:
    """A line of an answer; `gap` marks what the plan does not say yet."""

    text: str
    gap: bool = False


@record
class Answer:
    """One of the three leadership questions and the lines that answer it, the gaps marked."""

    key: str
    question: str
    lines: tuple[Line, ...]


@record
class FindingLine:
    """A finding as the outputs list it: where to fix it and what to do."""

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


@record
class PlanView:
    """The one view of a plan every output lays out: built once, never recomputed by a renderer."""

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
    cents: bool = False            # the plan's money has cents: tables show cents everywhere (else never)
    path: tuple[Step, ...] = ()    # the path to the number, bar by bar, ending at the target
    headlines: dict[str, str] = field(default_factory=dict)   # the one sentence that states each part's point
    changes: Any = None            # a `diff.PlanDiff` since an earlier version (`build --since`), else None

    @property
    def money_format(self) -> str:
        """The Excel number format that shows money as this view's tables do (`"$"#,##0`)."""
        return fmt.money_format(self.currency, self.cents)

    def money_format_short(self, value: float | None = None, axis: bool = False) -> str:
        """The Excel number format that shows money scaled as this view's headlines do: `value`'s own
        (`"$"#,##0.00,,"M"` for a data label), an axis's up to `value` (`axis=True`), or any (see `fmt`)."""
        return fmt.money_format_short(self.currency, value, axis)

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
    money = _Money(figures.currency, _has_cents(plan, figures.currency, d))
    invalid = {(f.sheet, f.cell) for f in findings if f.severity == ERROR and f.sheet}
    facts = {item.name: _field_cell(plan, item, money, invalid) for item in d.fields.values()}
    sections = tuple(_section(plan, figures, s, kit, money, invalid, facts) for s in d.sections)
    lines = _figures(figures, kit, money)
    answers = _answers(plan, figures, kit, money)
    return PlanView(
        account=plan.account_name or words.mark("account_name_missing"),
        account_missing=not plan.account_name,
        currency=figures.currency,
        as_of=figures.as_of,
        position=figures.position,
        figures=lines,
        sections=sections,
        answers=answers,
        findings=tuple(_finding(f, words) for f in findings),
        action_summary=words.say("action_counts", days=DUE_SOON_DAYS, **vars(figures.actions)),
        errors=sum(1 for f in findings if f.severity == ERROR),
        warnings=sum(1 for f in findings if f.severity == "warning"),
        facts=facts,
        cents=money.cents,
        path=_path(figures, lines, kit),
        headlines=_headlines(figures, lines, sections, answers, findings, kit, money),
    )


def with_changes(view: PlanView, changes: Any) -> PlanView:
    """The view with what changed since an earlier version (a `diff.PlanDiff`): every output lays it out from
    here, none computes it again."""
    from dataclasses import replace

    return replace(view, changes=changes)


class _Money:
    """The plan's one money rule, so every output rounds and writes money alike: whole units in tables
    (`$1,450,000`), cents everywhere only when the plan's own amounts have any, scaled in headlines,
    charts and callouts (`$1.45M`)."""

    def __init__(self, currency: str, cents: bool = False):
        self.currency, self.cents = currency, cents

    def __call__(self, value: float | None) -> str:
        return fmt.money(value, self.currency, self.cents)

    def short(self, value: float | None) -> str:
        return fmt.money_short(value, self.currency)


def _has_cents(plan: Plan, currency: str, d: schema.Definition) -> bool:
    """Whether any amount of the plan (a money field or a money cell of a list) has cents: decided once."""
    amounts = [plan.fields.get(item.name) for item in d.fields.values() if item.kind == schema.MONEY]
    for spec in d.lists.values():
        attrs = [c.attr for c in spec.columns if c.kind == schema.MONEY]
        amounts += [getattr(row, attr, None) for row in plan.lists.get(spec.table, []) for attr in attrs]
    return any(isinstance(v, (int, float)) and not isinstance(v, bool) and fmt.has_cents(v, currency)
               for v in amounts)


def _figures(f: Figures, kit: Kit, money: _Money) -> dict[str, Figure]:
    labels = kit.wording.figures
    a = f.actions

    def line(key: str, kind: str, value: Any, text: str, tone: str | None = None) -> tuple[str, Figure]:
        short = money.short(value) if kind == "money" else text
        label = labels[key] if key in labels else labels["weighted_stage"].format(stage=weighted.get(key, key))
        return key, Figure(key, label.format(days=DUE_SOON_DAYS), kind, value, text, tone, short)

    weighted = {weighted_key(stage): stage for stage in kit.definition.open_stages}

    return dict([
        line("as_of", "date", f.as_of, fmt.date(f.as_of)),
        line("position", "text", f.position, f.position or fmt.NONE),
        *(line(key, "money", getattr(f, key), money(getattr(f, key))) for key in
          ("annual_target", "prior_year_actual", "secured", "forecast", "pipeline", "prospect", "weighted_open")),
        *(line(key, "money", value, money(value)) for key, value in _weighted_lines(f, kit)),
        line("surplus", "money", f.surplus, money(f.surplus), GOOD if f.surplus else None),
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


def _value_cell(kind: str, value: Any, money: _Money, place=None, invalid: frozenset | set = frozenset(),
                typed: str | None = None) -> Cell:
    """A typed value as text in its kind's format; blank shows the dash. A refused value shows what the rep
    typed (`typed`), marked invalid; one refused without a record of it, the dash marked."""
    if typed is not None:
        return Cell(typed, BAD, True, kind, None, True)
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
    return _value_cell(item.kind, plan.fields.get(item.name), money, plan.places.get(item.name), invalid,
                       plan.typed.get(item.name))


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
        typed = getattr(row, "typed", {})
        cells = {c.attr: _value_cell(c.kind, getattr(row, c.attr), money, row.place(c.attr), invalid,
                                     typed.get(c.attr)) for c in spec.columns}
        special, flags = rule(row, i, f, kit, money)
        made.append(Row({**cells, **special}, frozenset(flags), row.excel_row, i,
                        {c.attr: getattr(row, c.attr) for c in spec.columns}))
    return ListView(spec.table, columns, tuple(made), money)


def _plain(row, i, f, kit, money):
    return {}, ()


def _flag(text: str, kind: str = schema.TEXT, value: Any = None) -> Cell:
    return Cell(text, BAD, True, kind, value)


def _opportunity(row, i, f: Figures, kit: Kit, money):
    used = f.probabilities[i]
    typed = getattr(row, "typed", {}).get("probability")
    if typed is not None:          # what was typed, marked; the figures take the stage's default instead
        probability = Cell(typed, BAD, True, schema.PERCENT, None, True,
                           kit.wording.marks.get("invalid_used", "{used} used").format(used=fmt.share(used)))
    else:
        probability = Cell(fmt.share(used), kind=schema.PERCENT, value=used)
    special = {"probability": probability}
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


# The path to the number and the headlines ----------------------------------------------------------

def weighted_key(stage: str) -> str:
    """The figure key of an open stage's weighted value: `weighted_forecast`."""
    return f"weighted_{schema._attr(stage)}"


def _weighted_lines(f: Figures, kit: Kit):
    for stage in kit.definition.open_stages:
        yield weighted_key(stage), f.weighted_by_stage.get(stage, 0.0)


def _path(f: Figures, lines: dict[str, Figure], kit: Kit) -> tuple[Step, ...]:
    """Secured, then each open stage weighted by probability, then the uncovered gap up to the target (or,
    when the weighted pipeline covers it, the surplus above the target), then the target from zero."""
    def step(key: str, role: str, start: float, value: float | None = None) -> Step:
        line = lines[key]
        value = line.value if value is None else value
        return Step(key, line.label, role, start, value, line.text, line.short, line.tone)

    steps = [step("secured", "secured", 0.0)]
    at = f.secured
    for key, value in _weighted_lines(f, kit):
        steps.append(step(key, "open", at))
        at += value
    if f.annual_target is None:
        return tuple(steps)
    if f.uncovered_gap:
        steps.append(step("uncovered_gap", "gap", at))
    else:
        steps.append(step("surplus", "surplus", f.annual_target))
    steps.append(step("annual_target", "total", 0.0))
    return tuple(steps)


def _headlines(f: Figures, lines: dict[str, Figure], sections: tuple[SectionView, ...], answers: tuple[Answer, ...],
               findings: list, kit: Kit, money: _Money) -> dict[str, str]:
    """The one sentence that states the point of each part of the plan (a slide's title, a paragraph's lead)."""
    d, say = kit.definition, kit.wording.say

    def say_n(key: str, n: int, **values) -> str:
        """The sentence for a count: its `_one` form when the count is 1 and the wording has one."""
        one = f"{key}_one"
        return say(one if n == 1 and one in kit.wording.sentences else key, **values)

    short = {key: line.short for key, line in lines.items()}
    lists = {spec.table: spec for s in sections for spec in s.lists}

    def rows(table: str) -> tuple[Row, ...]:
        return lists[table].rows if table in lists else ()

    def joined(*parts: str) -> str:
        text = "; ".join(p for p in parts if p)
        return text[:1].upper() + text[1:]

    heads: dict[str, str] = {}
    complete = lines["completeness"]
    unfinished = say("headline_incomplete", completeness=complete.text) if complete.value is not None \
        and complete.value < 1 else ""
    if f.annual_target is None:
        gap = say("headline_summary_no_target")
        path = say("headline_path_no_target")
    elif f.uncovered_gap:
        gap = say("headline_summary_gap", uncovered=short["uncovered_gap"], target=short["annual_target"])
        path = say("headline_path_gap", uncovered=short["uncovered_gap"], coverage=lines["pipeline_coverage"].text)
    elif not f.gap_to_target:
        gap = path = say("headline_path_secured", secured=short["secured"], target=short["annual_target"])
    else:
        gap = say("headline_summary_covered", target=short["annual_target"], surplus=short["surplus"])
        path = say("headline_path_covered", surplus=short["surplus"])
    heads["summary"], heads["path"] = joined(gap, unfinished), path

    objective = {item.name: item.cell for s in sections for item in s.fields if item.name.startswith("objective")}
    title, value, decided = (objective.get(n) for n in ("objective_title", "objective_value",
                                                          "objective_decision_date"))
    if title is None or title.value is None:
        heads["objective"] = say("headline_objective_missing")
    else:
        worth = say("headline_objective_worth", value=money.short(value.value)) if value and value.value is not None \
            else say("headline_objective_no_value")
        if value and value.value is not None and f.gap_to_target:
            worth = say("headline_objective_against_gap", value=money.short(value.value),
                        gap=short["gap_to_target"])
        when = say("headline_objective_date", date=decided.text) if decided and decided.value is not None \
            else say("headline_objective_no_date")
        heads["objective"] = joined(worth, when)

    priorities = rows("CustomerPriorities")
    validated = sum(1 for r in priorities if r.values.get("validated") == d.yes)
    heads["agenda"] = say_n("headline_agenda", len(priorities), validated=validated, count=len(priorities)) \
        if priorities else say("headline_agenda_none")

    opportunities = rows("Opportunities")
    if opportunities:
        late = len(f.past_close)
        heads["opportunities"] = joined(
            say_n("headline_opportunities", len(opportunities), count=len(opportunities),
                total=money.short(sum(_number(r.values.get("value")) for r in opportunities))),
            say_n("headline_opportunities_late", late, late=late) if late else "")
    else:
        heads["opportunities"] = say("headline_opportunities_none")

    people = rows("Stakeholders")
    if not people:
        heads["relationships"] = say("headline_relationships_none")
    else:
        problems = [say("headline_no_decision_maker", role=d.decision_maker) if not f.decision_makers else "",
                    say("headline_exposed", stages=", ".join(f.exposed_stages)) if f.exposed_stages else ""]
        if any(problems):
            heads["relationships"] = joined(*problems)
        else:
            deciders = ", ".join(dict.fromkeys(
                f"{_one_line(r.values.get('name'))} ({fmt.text(r.values.get('relationship'))})"
                for r in people if "decision-maker" in r.flags))
            heads["relationships"] = say("headline_relationships_ok", role=d.decision_maker, people=deciders)

    whitespace = short["whitespace_open"] if f.whitespace_open else ""
    placed = say("headline_position", position=f.position) if f.position else kit.wording.mark("not_placed")
    heads["position"] = joined(placed, say("headline_whitespace", value=whitespace) if whitespace
                               else say("headline_no_whitespace"))

    competitors = [_one_line(r.values.get("competitor")) for r in rows("Competitors") if r.values.get("competitor")]
    if competitors:
        named = ", ".join(competitors[:2]) + (say("headline_more", count=len(competitors) - 2)
                                               if len(competitors) > 2 else "")
        heads["competition"] = say("headline_competition", names=named)
    else:
        heads["competition"] = say("headline_competition_none")

    questions = [r for r in rows("PressureTest") if r.values.get("question")]
    if f.readiness is None:
        heads["pressure_test"] = say("headline_pressure_none")
    else:
        below = sum(1 for r in questions if r.values.get("answer") != d.yes)
        heads["pressure_test"] = say_n("headline_pressure", len(questions), readiness=lines["readiness"].text,
                                       short=below, count=len(questions), yes=d.yes) if below \
            else say("headline_pressure_all", readiness=lines["readiness"].text, yes=d.yes)

    risks = rows("Risks")
    if risks:
        high = sum(1 for r in risks if "high" in r.flags)
        unmitigated = sum(1 for r in risks if "unmitigated" in r.flags)
        heads["risks"] = joined(say_n("headline_risks", len(risks), high=high, count=len(risks)),
                                say("headline_risks_unmitigated", count=unmitigated) if unmitigated
                                else say("headline_risks_mitigated") if high else "")
    else:
        heads["risks"] = say("headline_risks_none")

    a = f.actions
    if not a.open:
        heads["actions"] = say("headline_actions_none")
    elif a.overdue or a.blocked:
        heads["actions"] = joined(say_n("headline_actions_overdue", a.open, overdue=a.overdue, open=a.open) if a.overdue
                                  else "", say_n("headline_actions_blocked", a.open, blocked=a.blocked, open=a.open)
                                  if a.blocked else "")
    else:
        first = next((r for r in rows("Actions") if "next" in r.flags), None)
        due = first.values.get("due_date") if first else None
        heads["actions"] = say_n("headline_actions_ok", a.open, open=a.open, date=fmt.date(due)) if due \
            else say_n("headline_actions_ok_undated", a.open, open=a.open)

    team, signals = rows("AccountTeam"), rows("HealthSignals")
    directions = [r.values.get("direction") for r in signals]
    if team or signals:
        heads["team"] = joined(say_n("headline_team", len(team), people=len(team)) if team
                               else say("headline_team_none"),
                               say("headline_signals", improving=directions.count("Improving"),
                                   declining=directions.count("Declining")) if signals
                               else say("headline_signals_none"))
    else:
        heads["team"] = joined(say("headline_team_none"))

    gaps = sum(1 for answer in answers if any(line.gap for line in answer.lines))
    heads["answers"] = say("headline_answers_gaps", gaps=gaps, count=len(answers)) if gaps \
        else say("headline_answers_all")

    errors = sum(1 for x in findings if x.severity == ERROR)
    warnings = len(findings) - errors
    heads["health"] = joined(say("headline_health", complete=complete.text),
                             say("headline_findings", errors=errors, warnings=warnings) if findings
                             else say("headline_no_findings"))
    heads["not_ready"] = say("headline_not_ready")
    return heads
