"""The words every output shares: figure labels, the three leadership questions and their answers, marks.

One catalogue, so the deck, the document, the checked workbook and the text report say the same thing
the same way. Sentences are `str.format` templates with named fields; a kit may override any entry.
"""
from __future__ import annotations

from dataclasses import dataclass, field

FIGURE_LABELS = {
    "as_of": "Figures as of",
    "position": "Position",
    "annual_target": "Annual target",
    "prior_year_actual": "Prior year actual",
    "secured": "Secured",
    "forecast": "Forecast",
    "pipeline": "Pipeline",
    "prospect": "Prospect",
    "weighted_open": "Weighted open",
    "gap_to_target": "Gap to target",
    "uncovered_gap": "Uncovered gap",
    "pipeline_coverage": "Pipeline coverage",
    "growth_vs_prior": "Growth vs prior year",
    "whitespace_open": "Open whitespace",
    "exposed_stages": "Exposed stages",
    "readiness": "Readiness",
    "completeness": "Complete",
    "actions_open": "Open actions",
    "actions_done": "Done",
    "actions_blocked": "Blocked",
    "actions_overdue": "Overdue",
    "actions_due_soon": "Due within {days} days",
}

QUESTIONS = {
    "objective": "Is this the right objective?",
    "relationships": "Do we have the relationships to win?",
    "next_action": "What action moves it forward next?",
}

SENTENCES = {
    # The objective
    "no_objective": "Missing: the plan names no objective.",
    "no_objective_value": "Missing: the objective's value.",
    "worth_against_gap": "Worth {value} against a gap to target of {gap}.",
    "worth_no_gap": "Worth {value}; there is no gap to compare it with (the annual target is missing).",
    "why_now": "Why now: {why}",
    "no_why_now": "Missing: the reason to act now.",
    # Relationships
    "no_stakeholders": "Missing: the plan lists no stakeholders.",
    "stages_uncovered": "Nobody is involved in: {stages}.",
    "stages_covered": "Someone is involved in every buying stage.",
    "decision_makers": "Decision maker: {people}.",
    "no_decision_maker": "Missing: no Decision maker among the stakeholders.",
    "exposed": "Exposed stages (a Detractor involved, nobody who speaks for us): {stages}.",
    "not_exposed": "No buying stage is exposed to a Detractor.",
    # The next action
    "no_open_action": "Missing: the plan has no open action.",
    "owner": "Owner: {owner}",
    "no_owner_line": "Missing: the action's owner.",
    "due": "Due: {date}",
    "due_overdue": "Due: {date} (overdue)",
    "no_due_line": "Missing: the action's due date.",
    "status": "Status: {status}",
    # Sections
    "section_missing": "The {section} section is missing in the plan: nothing is filled in on the '{sheet}' "
                       "sheet of the workbook yet.",
    "action_counts": "Open {open} · overdue {overdue} · blocked {blocked} · due in the next {days} days "
                     "{due_soon} · done {done}",
}

MARKS = {
    "missing": "Missing",
    "incomplete": "Incomplete",
    "complete": "Complete",
    "overdue": "{date} · overdue",
    "passed": "{date} · passed",
    "no_owner": "No owner",
    "no_due_date": "No due date",
    "no_mitigation": "No mitigation",
    "not_answered": "Not answered",
    "not_placed": "Not placed: a score is missing",
    "whole_workbook": "Whole workbook",
    "account_name_missing": "Account name missing in the plan",
}


@dataclass(frozen=True)
class Wording:
    figures: dict[str, str] = field(default_factory=lambda: dict(FIGURE_LABELS))
    questions: dict[str, str] = field(default_factory=lambda: dict(QUESTIONS))
    sentences: dict[str, str] = field(default_factory=lambda: dict(SENTENCES))
    marks: dict[str, str] = field(default_factory=lambda: dict(MARKS))

    def say(self, key: str, **values) -> str:
        return self.sentences[key].format(**values)

    def mark(self, key: str, **values) -> str:
        return self.marks[key].format(**values)
