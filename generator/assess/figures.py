"""Every computed figure of the contract, computed once into one `Figures` object.

The validator and every renderer read this object; nothing else adds up a plan, so the deck,
the document and the workbook cannot disagree.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import Any

from ..plan import schema
from ..records import record
from ..plan.model import Plan, stages_of

DUE_SOON_DAYS = 14


@record
class ActionCounts:
    """The action plan counted by status and date: what the health and the next step are judged by."""

    open: int = 0
    done: int = 0
    blocked: int = 0
    overdue: int = 0
    due_soon: int = 0


@record
class Completeness:
    """How much of the plan is filled in, overall and by section, and which sections are missing or short."""

    overall: float = 0.0
    sections: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)


@record
class Figures:
    """Every figure of a plan, computed once (`compute`) so that every output shows the same number."""

    as_of: dt.date
    currency: str
    position: str | None
    annual_target: float | None
    prior_year_actual: float | None
    secured: float
    forecast: float
    pipeline: float
    prospect: float
    weighted_open: float
    gap_to_target: float | None
    uncovered_gap: float | None
    pipeline_coverage: float | None
    growth_vs_prior: float | None
    whitespace_open: float
    readiness: float | None
    stage_coverage: dict[str, dict[str, list[str]]]
    exposed_stages: list[str]
    actions: ActionCounts
    completeness: Completeness
    # Per-row facts renderers mark, as indexes into the plan's lists, so none of them recomputes.
    probabilities: tuple[float, ...] = ()          # effective probability of each opportunity
    past_close: tuple[int, ...] = ()               # opportunities not Secured whose close date passed
    open_actions: tuple[int, ...] = ()             # open actions, earliest due first (undated last)
    overdue_actions: tuple[int, ...] = ()
    due_soon_actions: tuple[int, ...] = ()
    decision_makers: tuple[int, ...] = ()          # stakeholders whose role is Decision maker
    weighted_by_stage: dict[str, float] = field(default_factory=dict)  # each open stage's value times probability
    surplus: float | None = None                   # secured and weighted open above the target (0 when short of it)

    @property
    def next_action(self) -> int | None:
        """The earliest open action: what moves the plan forward next."""
        return self.open_actions[0] if self.open_actions else None

    @property
    def open_value(self) -> float:
        return self.forecast + self.pipeline + self.prospect


def compute(plan: Plan, as_of: dt.date, definition: schema.Definition = schema.DEFAULT_DEFINITION) -> Figures:
    """All figures of `plan` on the reference date `as_of`; `definition` says what each choice means."""
    d, f = definition, plan.fields
    by_stage = _sum_by_stage(plan, d)
    probabilities = tuple(effective_probability(o, d) for o in plan.opportunities)
    weighted_by_stage = {stage: 0.0 for stage in d.open_stages}
    for o, p in zip(plan.opportunities, probabilities):
        if o.stage in weighted_by_stage:
            weighted_by_stage[o.stage] += (o.value or 0) * p
    weighted = sum(weighted_by_stage.values())
    secured = by_stage[d.secured_stage]
    forecast, pipeline, prospect = (by_stage[stage] for stage in d.open_stages)
    target = f["annual_target"]
    gap = None if target is None else max(0.0, target - secured)
    uncovered = None if target is None else max(0.0, target - secured - weighted)
    surplus = None if target is None else max(0.0, secured + weighted - target)
    open_value = sum(by_stage[s] for s in d.open_stages)
    coverage, exposed = _stage_coverage(plan, d)
    open_actions, overdue, due_soon, counts = _actions(plan, as_of, d)
    return Figures(
        as_of=as_of,
        currency=plan.currency,
        position=position(f["relationship_score"], f["potential_score"], d),
        annual_target=target,
        prior_year_actual=f["prior_year_actual"],
        secured=secured, forecast=forecast, pipeline=pipeline, prospect=prospect,
        weighted_open=weighted,
        gap_to_target=gap,
        uncovered_gap=uncovered,
        pipeline_coverage=open_value / gap if gap else None,
        growth_vs_prior=_growth(target, f["prior_year_actual"]),
        whitespace_open=sum(w.estimated_value or 0 for w in plan.whitespace if w.status == d.open_whitespace),
        readiness=_readiness(plan, d),
        stage_coverage=coverage,
        exposed_stages=exposed,
        actions=counts,
        completeness=completeness(plan, d),
        probabilities=probabilities,
        past_close=tuple(i for i, o in enumerate(plan.opportunities)
                         if o.stage != d.secured_stage and o.close_date is not None and o.close_date < as_of),
        open_actions=open_actions,
        overdue_actions=overdue,
        due_soon_actions=due_soon,
        decision_makers=tuple(i for i, s in enumerate(plan.stakeholders) if s.role == d.decision_maker),
        weighted_by_stage=weighted_by_stage,
        surplus=surplus,
    )


def position(relationship: int | None, potential: int | None,
             definition: schema.Definition = schema.DEFAULT_DEFINITION) -> str | None:
    """The 2x2 matrix: potential decides Key/Target against Managed/Maintained, relationship within it."""
    if relationship is None or potential is None:
        return None
    key, target, managed, maintained = definition.positions
    if potential >= 3:
        return key if relationship >= 3 else target
    return managed if relationship >= 3 else maintained


def effective_probability(opportunity: Any, definition: schema.Definition = schema.DEFAULT_DEFINITION) -> float:
    """The probability typed, else the stage's default (0 for an opportunity with no usable stage)."""
    if opportunity.probability is not None:
        return opportunity.probability
    return definition.stage_probability.get(opportunity.stage, 0.0)


def _sum_by_stage(plan: Plan, d: schema.Definition) -> dict[str, float]:
    totals = {stage: 0.0 for stage in d.stages}
    for o in plan.opportunities:
        if o.stage in totals and o.value is not None:
            totals[o.stage] += o.value
    return totals


def _growth(target: float | None, prior: float | None) -> float | None:
    if target is None or not prior:
        return None
    return target / prior - 1


def _readiness(plan: Plan, d: schema.Definition) -> float | None:
    """Share answered Yes (Partly a half) over all questions; none until any question is answered."""
    questions = [q for q in plan.pressure_test if q.question]
    if not any(q.answer for q in questions):
        return None
    score = sum(1.0 if q.answer == d.yes else 0.5 if q.answer == d.partly else 0.0 for q in questions)
    return score / len(questions)


NO_ROLE = "No role"   # the stage-coverage key of a stakeholder whose role is blank (the contract's JSON)


def _stage_coverage(plan: Plan, d: schema.Definition) -> tuple[dict[str, dict[str, list[str]]], list[str]]:
    coverage: dict[str, dict[str, list[str]]] = {stage: {} for stage in d.buying_stages}
    for s in plan.stakeholders:
        for stage in stages_of(s):
            coverage[stage].setdefault(s.role or NO_ROLE, []).append(s.relationship or d.unknown_relationship)
    order = {role: i for i, role in enumerate(d.roles)}
    coverage = {stage: dict(sorted(roles.items(), key=lambda kv: order.get(kv[0], len(order))))
                for stage, roles in coverage.items()}
    exposed = [stage for stage, roles in coverage.items() if _exposed(roles, d)]
    return coverage, exposed


def _exposed(roles: dict[str, list[str]], d: schema.Definition) -> bool:
    """A Detractor is involved and nobody who speaks for us is (a Supporter or a Trusted advisor)."""
    friendly = d.supporter in roles or any(d.trusted_advisor in rels for rels in roles.values())
    return d.detractor in roles and not friendly


def _actions(plan: Plan, as_of: dt.date, d: schema.Definition):
    soon = as_of + dt.timedelta(days=DUE_SOON_DAYS)
    statuses = [a.status or d.default_status for a in plan.actions]
    open_idx = [i for i, st in enumerate(statuses) if st != d.done]
    open_idx.sort(key=lambda i: (plan.actions[i].due_date is None, plan.actions[i].due_date or as_of, i))
    overdue = tuple(i for i in open_idx if plan.actions[i].due_date and plan.actions[i].due_date < as_of)
    due_soon = tuple(i for i in open_idx if plan.actions[i].due_date and as_of <= plan.actions[i].due_date <= soon)
    counts = ActionCounts(open=len(open_idx), done=statuses.count(d.done), blocked=statuses.count(d.blocked),
                          overdue=len(overdue), due_soon=len(due_soon))
    return tuple(open_idx), overdue, due_soon, counts


# Completeness ---------------------------------------------------------------------------------

def is_prefill(spec: schema.ListSpec, row: Any) -> bool:
    """A row that holds only text the blank template came with is the template's, not the rep's."""
    if not spec.prefill:
        return False
    values = tuple(getattr(row, c.attr) for c in spec.columns)
    filled = [(i, v) for i, v in enumerate(values) if v not in (None, "", False)
              and v != spec.columns[i].default]
    return any(all(i < len(p) and p[i] == v for i, v in filled) for p in spec.prefill)


def rep_rows(plan: Plan, spec: schema.ListSpec) -> list:
    """The rows of a list the rep wrote (template pre-fill left out)."""
    return [r for r in plan.lists.get(spec.table, []) if not is_prefill(spec, r)]


def row_complete(spec: schema.ListSpec, row: Any) -> bool:
    return all(getattr(row, c.attr) not in (None, "") for c in spec.required_columns)


def list_filled(plan: Plan, spec: schema.ListSpec) -> bool:
    return any(row_complete(spec, r) for r in rep_rows(plan, spec))


def section_items(plan: Plan, section: schema.Section) -> tuple[int, int]:
    """(filled items, items) of one section, as the contract counts them."""
    fields = section.items_fields
    filled = sum(1 for f in fields if plan.fields.get(f.name) not in (None, ""))
    filled += sum(1 for spec in section.lists if list_filled(plan, spec))
    return filled, len(fields) + len(section.lists)


def section_missing(plan: Plan, section: schema.Section) -> bool:
    return (all(plan.fields.get(f.name) in (None, "") for f in section.fields)
            and not any(rep_rows(plan, spec) for spec in section.lists))


def completeness(plan: Plan, definition: schema.Definition = schema.DEFAULT_DEFINITION) -> Completeness:
    sections, missing, incomplete = {}, [], []
    all_filled = all_items = 0
    for section in definition.sections:
        filled, items = section_items(plan, section)
        all_filled, all_items = all_filled + filled, all_items + items
        sections[section.name] = filled / items if items else 1.0
        if section_missing(plan, section):
            missing.append(section.name)
        elif filled < items:
            incomplete.append(section.name)
    return Completeness(all_filled / all_items if all_items else 1.0, sections, missing, incomplete)
