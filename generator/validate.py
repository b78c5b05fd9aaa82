"""The checks: a plan and its figures in, findings out (every one naming the cell to look at).

Each check is a small generator over the plan; `validate` chains them after what the reader found.
Checks never raise and never change the plan: a bad value is already None and flagged.
"""
from __future__ import annotations

from collections.abc import Iterator

from . import fmt, schema
from .coerce import match_key
from .figures import Figures, rep_rows, section_missing
from .findings import Finding, make
from .model import Place, Plan

STALE_AFTER_DAYS = 100
TRUSTED = ("Trusted advisor", "Building trust")
BLANK_CODES = ("required-missing", "action-no-owner", "action-no-due-date")


def validate(plan: Plan, figures: Figures) -> list[Finding]:
    """What the reader found, then every check; a blank reported for a cell already in error is dropped."""
    found = list(plan.read_findings)
    in_error = {(f.sheet, f.cell) for f in found if f.severity == "error"}
    for check in CHECKS:
        found.extend(f for f in check(plan, figures)
                     if f.code not in BLANK_CODES or (f.sheet, f.cell) not in in_error)
    return found


# Where to point ----------------------------------------------------------------------------------

def _field_place(plan: Plan, name: str) -> Place | None:
    return plan.places.get(name)


def _list_place(plan: Plan, table: str, row=None, attr: str | None = None) -> Place | None:
    """The cell of `attr` in `row`, else the table's first data cell, else nothing known."""
    if row is not None and attr and row.place(attr):
        return row.place(attr)
    where = plan.tables.get(table)
    if where is None:
        return None
    spec = schema.LISTS[table]
    return where.cell(attr or spec.columns[0].attr, row.excel_row if row is not None and row.excel_row
                      else where.header_row + 1)


def _section_place(plan: Plan, section: schema.Section) -> Place | None:
    for item in section.fields:
        if item.name in plan.places:
            return plan.places[item.name]
    for spec in section.lists:
        if spec.table in plan.tables:
            return _list_place(plan, spec.table)
    return None


# Completeness ------------------------------------------------------------------------------------

def check_completeness(plan: Plan, figures: Figures) -> Iterator[Finding]:
    for section in schema.SECTIONS:
        if section_missing(plan, section):
            if _lost(plan, section):
                continue    # not known to be blank: the reader's name-missing / table-missing finding says why
            yield make("section-missing", section.name, _section_place(plan, section),
                       f"The {section.name} section is blank.", f"Fill it in: {section.purpose}")
            continue
        blanks = list(_blank_items(plan, section))
        yield from blanks
        score = figures.completeness.sections[section.name]
        if score < 1:
            first = blanks[0] if blanks else None
            place = Place(first.sheet, first.cell) if first and first.sheet else _section_place(plan, section)
            yield make("section-incomplete", section.name, place,
                       f"The {section.name} section is {fmt.share(score)} complete.",
                       "Fill in the required items flagged in this section.")


def _lost(plan: Plan, section: schema.Section) -> list[str]:
    """The section's fields and lists the reader could not find in the workbook."""
    return [name for name in (*(f.name for f in section.fields), *(s.table for s in section.lists))
            if name in plan.not_found]


def _has_column(plan: Plan, table: str, attr: str) -> bool:
    """False when the reader found the list without this column (or not at all): its values are unknown,
    not blank, and the reader said so once."""
    where = plan.tables.get(table)
    return table not in plan.not_found and (where is None or attr in where.columns)


def _blank_items(plan: Plan, section: schema.Section) -> Iterator[Finding]:
    """Required items left blank; never one the reader could not find, nor a column the list does not have
    (the reader reported those once)."""
    for item in section.fields:
        if item.required and plan.fields[item.name] in (None, "") and item.name not in plan.not_found:
            yield make("required-missing", section.name, _field_place(plan, item.name),
                       f"{item.label} is required but blank.", "Fill it in.")
    for spec in section.lists:
        if spec.table in plan.not_found:
            continue
        required = [c for c in spec.required_columns if _has_column(plan, spec.table, c.attr)]
        rows = rep_rows(plan, spec)
        if not rows:
            yield make("required-missing", section.name, _list_place(plan, spec.table),
                       f"The {spec.table} table has no rows.", "Add at least one row.")
            continue
        for row in rows:
            for column in required:
                if getattr(row, column.attr) in (None, "") and not (spec.table == "Actions"
                                                                     and column.attr in ("owner", "due_date")):
                    yield make("required-missing", section.name, _list_place(plan, spec.table, row, column.attr),
                               f"{column.header} is required but blank in row {row.excel_row or '?'}.",
                               "Fill it in, or delete the row.")


# Actions -----------------------------------------------------------------------------------------

def check_actions(plan: Plan, figures: Figures) -> Iterator[Finding]:
    section = "Action plan"
    owners, dates = _has_column(plan, "Actions", "owner"), _has_column(plan, "Actions", "due_date")
    for a in plan.actions:
        if not a.owner and owners:
            yield make("action-no-owner", section, _list_place(plan, "Actions", a, "owner"),
                       f"Action '{_short(a.action)}' has no owner.", "Name the one person who will do it.")
        if a.due_date is None and dates:
            yield make("action-no-due-date", section, _list_place(plan, "Actions", a, "due_date"),
                       f"Action '{_short(a.action)}' has no due date.", "Give it a date.")
    for i in figures.overdue_actions:
        a = plan.actions[i]
        yield make("action-overdue", section, _list_place(plan, "Actions", a, "due_date"),
                   f"Action '{_short(a.action)}' was due {fmt.date(a.due_date)} and is not done.",
                   "Do it, mark it Done, or give it a new date.")
    if plan.actions and not figures.actions.open:
        yield make("no-open-action", section, _list_place(plan, "Actions"),
                   "Every action is Done: nothing moves the plan forward.", "Add the next actions.")
    elif not plan.actions and not section_missing(plan, schema.SECTION_BY_NAME[section]):
        yield make("no-open-action", section, _list_place(plan, "Actions"), "There is no open action.",
                   "Add the next actions, each with an owner and a date.")


def check_opportunities(plan: Plan, figures: Figures) -> Iterator[Finding]:
    for i in figures.past_close:
        o = plan.opportunities[i]
        yield make("opportunity-past-close", "Path to the number", _list_place(plan, "Opportunities", o, "close_date"),
                   f"Opportunity '{_short(o.opportunity)}' is {o.stage} but its close date "
                   f"{fmt.date(o.close_date)} has passed.",
                   "Move the close date, mark it Secured, or take it out of the plan.")


# Relationships -----------------------------------------------------------------------------------

def check_relationships(plan: Plan, figures: Figures) -> Iterator[Finding]:
    section = "Relationships"
    people = plan.stakeholders
    if not people:
        return
    roles, relationships = _has_column(plan, "Stakeholders", "role"), _has_column(plan, "Stakeholders", "relationship")
    if not figures.decision_makers and roles:
        yield make("no-decision-maker", section, _list_place(plan, "Stakeholders", None, "role"),
                   "No stakeholder is marked Decision maker.", "Find out who decides and add them.")
    for i in figures.decision_makers:
        s = people[i]
        if s.relationship in ("Poor", "Unknown", None) and relationships:
            yield make("decision-maker-weak", section, _list_place(plan, "Stakeholders", s, "relationship"),
                       f"Our relationship with the Decision maker {s.name} is {s.relationship or 'not given'}.",
                       "Plan how to reach them, and through whom.")
    strong = [s for s in people if s.relationship in TRUSTED]
    if len(strong) < 2 and relationships:
        yield make("single-threaded", section, _list_place(plan, "Stakeholders", None, "relationship"),
                   f"Only {len(strong)} stakeholder(s) at Trusted advisor or Building trust: the plan is "
                   "single-threaded.", "Build a second strong relationship.")
    for stage in figures.exposed_stages:
        detractor = next(s for s in people if s.role == "Detractor" and getattr(s, schema._attr(stage)))
        yield make("stage-exposed", section, _list_place(plan, "Stakeholders", detractor, schema._attr(stage)),
                   f"In {stage}, a Detractor is involved and no Supporter or Trusted advisor is.",
                   "Involve someone who speaks for us at this stage.")


def check_objective(plan: Plan, figures: Figures) -> Iterator[Finding]:
    sponsor = plan.fields["objective_sponsor"]
    known = {match_key(s.name) for s in plan.stakeholders if s.name}
    if sponsor and _has_column(plan, "Stakeholders", "name") and match_key(sponsor) not in known:
        yield make("sponsor-unknown", "Objective", _field_place(plan, "objective_sponsor"),
                   f"The sponsor {sponsor} is not among the stakeholders.",
                   "Add them on the Relationships sheet, or correct the name.")


def check_risks(plan: Plan, figures: Figures) -> Iterator[Finding]:
    for r in plan.risks:
        if r.impact == "High" and not (r.mitigation and r.owner):
            missing = " and no ".join(w for w, v in (("mitigation", r.mitigation), ("owner", r.owner)) if not v)
            attr = "mitigation" if not r.mitigation else "owner"
            yield make("risk-unmitigated", "Risks", _list_place(plan, "Risks", r, attr),
                       f"High-impact risk '{_short(r.risk)}' has no {missing}.",
                       "Say how it will be reduced and who owns that.")


def check_dates(plan: Plan, figures: Figures) -> Iterator[Finding]:
    review = plan.fields["next_review_date"]
    if review and review < figures.as_of:
        yield make("review-overdue", "Account", _field_place(plan, "next_review_date"),
                   f"The next review date {fmt.date(review)} has passed.", "Hold the review, or set a new date.")
    planned = plan.fields["plan_date"]
    if planned and (figures.as_of - planned).days > STALE_AFTER_DAYS:
        yield make("plan-stale", "Account", _field_place(plan, "plan_date"),
                   f"The plan is dated {fmt.date(planned)}, more than {STALE_AFTER_DAYS} days ago.",
                   "Review the plan and update the plan date.")


CHECKS = (check_completeness, check_opportunities, check_objective, check_relationships, check_risks,
          check_actions, check_dates)


def _short(text: object, limit: int = 50) -> str:
    text = str(text or "")
    return text if len(text) <= limit else text[:limit - 1] + "…"
