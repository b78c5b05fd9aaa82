"""The checks: a plan and its figures in, findings out (every one naming the cell to look at).

Each check is a small generator over the plan; `validate` chains them after what the reader found.
Checks never raise and never change the plan: a bad value is already None and flagged.
"""
from __future__ import annotations

from collections.abc import Iterator

from .. import fmt
from ..plan import schema
from ..plan.coerce import match_key
from .figures import Figures, rep_rows, section_missing
from .findings import Finding, make
from ..plan.model import Place, Plan
from ..kit import Kit

STALE_AFTER_DAYS = 100
BLANK_CODES = ("required-missing", "action-no-owner", "action-no-due-date")
# Required columns whose blanks have a check of their own (with a better message than "required").
OWN_CHECK = {("Actions", "owner"), ("Actions", "due_date")}


def validate(plan: Plan, figures: Figures, definition: schema.Definition = schema.DEFAULT_DEFINITION) -> list[Finding]:
    """What the reader found, then every check; a blank reported for a cell already in error is dropped.

    Checks name lists and fields by their contract keys; section names and the meaning of each choice come
    from `definition`.
    """
    found = list(plan.read_findings)
    in_error = {(f.sheet, f.cell) for f in found if f.severity == "error"}
    for check in CHECKS:
        found.extend(f for f in check(plan, figures, definition)
                     if f.code not in BLANK_CODES or (f.sheet, f.cell) not in in_error)
    return found


def _section(d: schema.Definition, name: str) -> str:
    """The name of the section holding the field or list `name`."""
    return d.section_of(name).name


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
    first = next(iter(where.columns), "")       # the list's first column found (the reader keeps their order)
    return where.cell(attr or first, row.excel_row if row is not None and row.excel_row
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

def check_completeness(plan: Plan, figures: Figures, d: schema.Definition) -> Iterator[Finding]:
    for section in d.sections:
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
        if item.required and plan.fields.get(item.name) in (None, "") and item.name not in plan.not_found:
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
                if getattr(row, column.attr) in (None, "") and (spec.table, column.attr) not in OWN_CHECK:
                    yield make("required-missing", section.name, _list_place(plan, spec.table, row, column.attr),
                               f"{column.header} is required but blank in row {row.excel_row or '?'}.",
                               "Fill it in, or delete the row.")


# Actions -----------------------------------------------------------------------------------------

def check_actions(plan: Plan, figures: Figures, d: schema.Definition) -> Iterator[Finding]:
    section = _section(d, "Actions")
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
                   f"Do it, mark it {d.done}, or give it a new date.")
    if plan.actions and not figures.actions.open:
        yield make("no-open-action", section, _list_place(plan, "Actions"),
                   f"Every action is {d.done}: nothing moves the plan forward.", "Add the next actions.")
    elif not plan.actions and not section_missing(plan, d.section(section)):
        yield make("no-open-action", section, _list_place(plan, "Actions"), "There is no open action.",
                   "Add the next actions, each with an owner and a date.")


def check_opportunities(plan: Plan, figures: Figures, d: schema.Definition) -> Iterator[Finding]:
    for i in figures.past_close:
        o = plan.opportunities[i]
        yield make("opportunity-past-close", _section(d, "Opportunities"),
                   _list_place(plan, "Opportunities", o, "close_date"),
                   f"Opportunity '{_short(o.opportunity)}' is {o.stage} but its close date "
                   f"{fmt.date(o.close_date)} has passed.",
                   f"Move the close date, mark it {d.secured_stage}, or take it out of the plan.")


# Relationships -----------------------------------------------------------------------------------

def check_relationships(plan: Plan, figures: Figures, d: schema.Definition) -> Iterator[Finding]:
    section = _section(d, "Stakeholders")
    people = plan.stakeholders
    if not people:
        return
    roles, relationships = _has_column(plan, "Stakeholders", "role"), _has_column(plan, "Stakeholders", "relationship")
    if not figures.decision_makers and roles:
        yield make("no-decision-maker", section, _list_place(plan, "Stakeholders", None, "role"),
                   f"No stakeholder is marked {d.decision_maker}.", "Find out who decides and add them.")
    for i in figures.decision_makers:
        s = people[i]
        if (s.relationship is None or s.relationship in d.weak_relationships) and relationships:
            yield make("decision-maker-weak", section, _list_place(plan, "Stakeholders", s, "relationship"),
                       f"Our relationship with the {d.decision_maker} {s.name} is {s.relationship or 'not given'}.",
                       "Plan how to reach them, and through whom.")
    strong = [s for s in people if s.relationship in d.strong_relationships]
    if len(strong) < 2 and relationships:
        yield make("single-threaded", section, _list_place(plan, "Stakeholders", None, "relationship"),
                   f"Only {len(strong)} stakeholder(s) at {' or '.join(d.strong_relationships)}: the plan is "
                   "single-threaded.", "Build a second strong relationship.")
    for stage in figures.exposed_stages:
        detractor = next(s for s in people if s.role == d.detractor and getattr(s, schema._attr(stage)))
        yield make("stage-exposed", section, _list_place(plan, "Stakeholders", detractor, schema._attr(stage)),
                   f"In {stage}, a {d.detractor} is involved and no {d.supporter} or {d.trusted_advisor} is.",
                   "Involve someone who speaks for us at this stage.")


def check_objective(plan: Plan, figures: Figures, d: schema.Definition) -> Iterator[Finding]:
    sponsor = plan.fields["objective_sponsor"]
    known = {match_key(s.name) for s in plan.stakeholders if s.name}
    if sponsor and _has_column(plan, "Stakeholders", "name") and match_key(sponsor) not in known:
        yield make("sponsor-unknown", _section(d, "objective_sponsor"), _field_place(plan, "objective_sponsor"),
                   f"The sponsor {sponsor} is not among the stakeholders.",
                   f"Add them on the {d.section_of('Stakeholders').sheet} sheet, or correct the name.")


def check_risks(plan: Plan, figures: Figures, d: schema.Definition) -> Iterator[Finding]:
    for r in plan.risks:
        if r.impact == d.high and not (r.mitigation and r.owner):
            missing = " and no ".join(w for w, v in (("mitigation", r.mitigation), ("owner", r.owner)) if not v)
            attr = "mitigation" if not r.mitigation else "owner"
            yield make("risk-unmitigated", _section(d, "Risks"), _list_place(plan, "Risks", r, attr),
                       f"{d.high}-impact risk '{_short(r.risk)}' has no {missing}.",
                       "Say how it will be reduced and who owns that.")


def check_dates(plan: Plan, figures: Figures, d: schema.Definition) -> Iterator[Finding]:
    review = plan.fields["next_review_date"]
    if review and review < figures.as_of:
        yield make("review-overdue", _section(d, "next_review_date"), _field_place(plan, "next_review_date"),
                   f"The next review date {fmt.date(review)} has passed.", "Hold the review, or set a new date.")
    planned = plan.fields["plan_date"]
    if planned and (figures.as_of - planned).days > STALE_AFTER_DAYS:
        yield make("plan-stale", _section(d, "plan_date"), _field_place(plan, "plan_date"),
                   f"The plan is dated {fmt.date(planned)}, more than {STALE_AFTER_DAYS} days ago.",
                   "Review the plan and update the plan date.")


# The kit a plan was made with ---------------------------------------------------------------------

def check_kit(plan: Plan, kit: Kit) -> Iterator[Finding]:
    """A workbook made with another kit (`kit-other`) or another version of this one (`template-old`), said
    once at the cell recording the kit; what the reading left out (the other kit's fields and lists) named.
    A plan built in code records no kit: nothing to say."""
    origin = plan.origin
    if origin is None:
        return
    section = kit.definition.sections[0].name
    made = origin.kit or Kit.name
    unread = _unread(plan)
    if made != kit.name:
        definition = "the built-in definition" if _builtin(kit) else "this kit's definition"
        yield make("kit-other", section, origin.place,
                   f"The plan was made with {kit_words(origin.kit, origin.version)}, not {kit_words(kit)}: it is "
                   f"read with {definition}{unread}.",
                   f"Check it {'without --kit' if origin.builtin else 'with its own kit (--kit)'}, or move it "
                   f"into this kit's template: accountplan upgrade {_file_name(plan)} -o NEW.xlsx{_kit_hint(kit)}.")
    elif origin.version != kit.version:
        yield make("template-old", section, origin.place,
                   f"The plan was made with {kit_words(origin.kit, origin.version)}; this is version "
                   f"{kit.version or '(none)'}: it is read by names{unread}.",
                   f"Move it into the current template: accountplan upgrade {_file_name(plan)} -o NEW.xlsx"
                   f"{_kit_hint(kit)}.")


def _builtin(kit: Kit) -> bool:
    """The built-in kit, perhaps in another brand (as `template.builtin` says)."""
    return kit.name == Kit.name and not kit.version


def kit_words(kit: Kit | str, version: str | None = None) -> str:
    """'the Northwind Sales kit (version 2027.1)', or 'the built-in template' (no kit, or the built-in one)."""
    name, version = (kit.name, kit.version) if isinstance(kit, Kit) else (kit, version or "")
    if not name or (name == Kit.name and not version):
        return "the built-in template"
    return f"the {name} kit" + (f" (version {version})" if version else "")


def _unread(plan: Plan) -> str:
    """'; its fields a, b and list C, unknown to it, were not read (2 values and 1 row left out)': what the
    workbook holds that the definition does not know."""
    fields = [name for name in plan.unknown_fields]
    lists = [table for table in plan.unknown_lists]
    if not fields and not lists:
        return ""
    filled = sum(1 for _, value in plan.unknown_fields.values() if value not in (None, ""))
    rows = sum(len(rows) for _, rows in plan.unknown_lists.values())
    parts = []
    if fields:
        parts.append(f"field{'s' if len(fields) > 1 else ''} {', '.join(fields)}")
    if lists:
        parts.append(f"list{'s' if len(lists) > 1 else ''} {', '.join(lists)}")
    held = [f"{filled} value{'s' if filled != 1 else ''}" if fields else "",
            f"{rows} row{'s' if rows != 1 else ''}" if lists else ""]
    return (f"; its {' and '.join(parts)}, unknown to it, were not read "
            f"({' and '.join(h for h in held if h)} left out)")


def _file_name(plan: Plan) -> str:
    from pathlib import Path

    return Path(plan.file).name or "PLAN.xlsx"


def _kit_hint(kit: Kit) -> str:
    if kit.folder is not None:
        return f" --kit {kit.folder}"
    return "" if kit.name == Kit.name else " --kit KIT"


CHECKS = (check_completeness, check_opportunities, check_objective, check_relationships, check_risks,
          check_actions, check_dates)


def _short(text: object, limit: int = 50) -> str:
    text = str(text or "")
    return text if len(text) <= limit else text[:limit - 1] + "…"
