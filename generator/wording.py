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
    "weighted_stage": "{stage} (weighted)",   # an open stage's value times probability: `weighted_forecast`, ...
    "surplus": "Surplus over target",
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
    # Headlines: the one sentence that states each part's point (a slide's title); `_one` when the count is 1
    "headline_incomplete": "the plan is {completeness} complete",
    "headline_summary_gap": "{uncovered} of the {target} target is uncovered",
    "headline_summary_covered": "The {target} target is covered, {surplus} to spare",
    "headline_summary_no_target": "The plan sets no annual target",
    "headline_path_gap": "{uncovered} uncovered; pipeline covers {coverage} the gap",
    "headline_path_covered": "Weighted pipeline covers the gap, {surplus} over target",
    "headline_path_secured": "Target secured: {secured} against {target}",
    "headline_path_no_target": "No annual target: nothing to measure the pipeline against",
    "headline_objective_missing": "The plan names no objective",
    "headline_objective_against_gap": "worth {value} against a {gap} gap",
    "headline_objective_worth": "worth {value}",
    "headline_objective_no_value": "the objective has no value yet",
    "headline_objective_date": "decision by {date}",
    "headline_objective_no_date": "no decision date",
    "headline_agenda": "{validated} of {count} customer priorities validated with the customer",
    "headline_agenda_one": "{validated} of {count} customer priority validated with the customer",
    "headline_agenda_none": "No customer priorities in the plan",
    "headline_opportunities": "{count} opportunities worth {total}",
    "headline_opportunities_one": "{count} opportunity worth {total}",
    "headline_opportunities_late": "{late} past their close date",
    "headline_opportunities_late_one": "{late} past its close date",
    "headline_opportunities_none": "No opportunities in the plan",
    "headline_relationships_none": "The plan lists no stakeholders",
    "headline_no_decision_maker": "no {role}",
    "headline_exposed": "{stages} exposed",
    "headline_relationships_ok": "{role}: {people}; no buying stage exposed",
    "headline_position": "{position} account",
    "headline_whitespace": "{value} of open whitespace",
    "headline_no_whitespace": "no open whitespace",
    "headline_competition": "Up against {names}",
    "headline_more": " and {count} more",
    "headline_competition_none": "No competitor named in the plan",
    "headline_pressure": "Readiness {readiness}: {short} of {count} answers short of {yes}",
    "headline_pressure_one": "Readiness {readiness}: {short} of {count} answer short of {yes}",
    "headline_pressure_all": "Readiness {readiness}: every answer is {yes}",
    "headline_pressure_none": "No pressure-test question answered yet",
    "headline_risks": "{high} of {count} risks high-impact",
    "headline_risks_one": "{high} of {count} risk high-impact",
    "headline_risks_unmitigated": "{count} without a mitigation and owner",
    "headline_risks_mitigated": "each with a mitigation and owner",
    "headline_risks_none": "No risks in the plan",
    "headline_actions_overdue": "{overdue} of {open} open actions overdue",
    "headline_actions_overdue_one": "{overdue} of {open} open action overdue",
    "headline_actions_blocked": "{blocked} of {open} blocked",
    "headline_actions_ok": "{open} open actions, none overdue; next due {date}",
    "headline_actions_ok_one": "{open} open action, not overdue; due {date}",
    "headline_actions_ok_undated": "{open} open actions, none overdue",
    "headline_actions_ok_undated_one": "{open} open action, not overdue",
    "headline_actions_none": "No open action: nothing moves the plan forward",
    "headline_team": "{people} people on the account team",
    "headline_team_one": "{people} person on the account team",
    "headline_team_none": "no account team named",
    "headline_signals": "signals {improving} improving, {declining} declining",
    "headline_signals_none": "no relationship signal recorded",
    "headline_answers_gaps": "Gaps in {gaps} of the {count} leadership answers",
    "headline_answers_all": "The plan answers all three leadership questions",
    "headline_health": "{complete} complete",
    "headline_findings": "errors {errors}, warnings {warnings}",
    "headline_no_findings": "the plan passes every check",
    "headline_not_ready": "Not ready for review: what is missing",
    # Long lists cut to their first rows
    "list_rest": "and {count} more worth {total} (see the plan document)",
    "list_rest_count": "and {count} more (see the plan document)",
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
    "total": "Total",
    "invalid_used": "{used} used",   # beside a refused value: what the figures use instead
}

# What changed between two versions of a plan (`diff`, `build --since`, `portfolio --since`): the memo, the
# one-line summary, the What changed slide, the document section, the Changes sheet and the portfolio's
# "moved since last review". `verb_*` name a kind of change, `noun_<Table>`/`nouns_<Table>` a list's row (one,
# many; a kit's own list uses its row type), `header_*` the tables' column headers.
DIFF = {
    # The memo (`accountplan diff`)
    "title": "{account} — what changed",
    "title_since": "{account} — what changed since {date}",
    "version": "{which}  {file} · plan date {plan_date} · as of {as_of}",
    "version_old": "old",
    "version_new": "new",
    "summary_line": "{summary}.",
    "figures": "Figures",
    "fields": "Fields",
    "sections": "Sections",
    "change": "{name} — {column}: {before} → {after}",
    "field_change": "{before} → {after}",
    "figure_change": "{before} → {after}",
    "figure_delta": "{before} → {after} ({direction} {delta})",
    "action_new": "{name} (due {due}, {owner})",
    "action_slipped": "{name} — due {before} → {after}",
    "action_overdue": "{name} — due {due}, {owner}",
    "action_done": "{name}",
    "section_share": "{name} ({before} → {after})",
    # The one-line summary
    "no_change": "No change between the two versions",
    "money_up": "{label} up {delta} to {after}",
    "money_down": "{label} down {delta} to {after}",
    "moved_up": "{label} up from {before} to {after}",
    "moved_down": "{label} down from {before} to {after}",
    "became": "{label} now {after} (was {before})",
    "count_first": "{count} {noun} {verb}",
    "count_rest": "{count} {verb}",
    "other_changes": "{count} other change",
    "other_changes_many": "{count} other changes",
    "section": "section",
    "sections_noun": "sections",
    "label_completeness": "Completeness",
    # The kinds of change
    "verb_added": "added", "verb_removed": "removed", "verb_changed": "changed", "verb_done": "done",
    "verb_new": "new", "verb_slipped": "slipped", "verb_newly_overdue": "newly overdue", "verb_dropped": "dropped",
    "verb_closed": "closed", "verb_completed": "completed", "verb_went_missing": "gone missing", "verb_up": "up",
    "verb_down": "down",
    # A list's row, one and many
    "noun_CustomerPriorities": "customer priority", "nouns_CustomerPriorities": "customer priorities",
    "noun_Opportunities": "opportunity", "nouns_Opportunities": "opportunities",
    "noun_Stakeholders": "stakeholder", "nouns_Stakeholders": "stakeholders",
    "noun_Competitors": "competitor", "nouns_Competitors": "competitors",
    "noun_Whitespace": "whitespace item", "nouns_Whitespace": "whitespace items",
    "noun_PressureTest": "pressure-test question", "nouns_PressureTest": "pressure-test questions",
    "noun_Risks": "risk", "nouns_Risks": "risks",
    "noun_Actions": "action", "nouns_Actions": "actions",
    "noun_AccountTeam": "team member", "nouns_AccountTeam": "team members",
    "noun_HealthSignals": "health signal", "nouns_HealthSignals": "health signals",
    "noun_Reviews": "review", "nouns_Reviews": "reviews",
    # The What changed slide, the document section and the Changes sheet
    "since": "What changed since {date}",
    "names_more": "{names} and {count} more",
    "slide_notes": "Start the review with what moved since the last one ({summary}): the figures first, then the "
                   "opportunities, people and actions behind them. Ask what caused each move.",
    "sheet_title": "{title}: {summary}",
    "caption_figures": "Figures changed",
    "caption_changes": "Changes",
    "header_figure": "Figure",
    "header_before": "Before",
    "header_after": "After",
    "header_area": "Area",
    "header_change": "Change",
    "header_items": "Items",
    "header_top_items": "Top items",
    "header_item": "Item",
    "header_column": "Column",
    "header_status": "Status",
    "header_due_date": "Due date",
    # The portfolio (`portfolio --since DIR`)
    "moved_column": "Moved since last review",
    "header_moved": "What moved",
    "secured_delta_column": "Secured change",
    "gap_delta_column": "Uncovered gap change",
    "earlier_column": "Earlier version",
    "new_since": "New since last review",
    "no_account_name": "No account name to match an earlier version by",
    "earlier_unusable": "Earlier version not usable: {reason}",
    "latest_of": "{file}, the latest of {count} earlier versions",
    "moved_topic": "Moved since last review",
    "moved_title": "{count} accounts moved; {account} the most ({move})",
    "moved_title_one": "Only {account} moved since the last review ({move})",
    "moved_figure": "{label} {change}",
    "moved_title_none": "No account moved since the last review",
    "moved_notes": "The accounts ranked by how far their uncovered gap moved since the earlier versions in {folder} "
                   "(then by what they secured), each with its summary; an account with no earlier version is new "
                   "since the last review.",
    "moved_more": "and {count} more accounts (each move in full on the workbook's Plans sheet)",
    "moved_unchanged": "Unchanged: {names}",
    "moved_new": "New since last review: {names}",
    "moved_not_usable": "Earlier versions not usable: {names}",
}


@dataclass(frozen=True)
class Wording:
    """The outputs' words by key (figure labels, questions, sentences, marks, the diff's); a kit may override them."""

    figures: dict[str, str] = field(default_factory=lambda: dict(FIGURE_LABELS))
    questions: dict[str, str] = field(default_factory=lambda: dict(QUESTIONS))
    sentences: dict[str, str] = field(default_factory=lambda: dict(SENTENCES))
    marks: dict[str, str] = field(default_factory=lambda: dict(MARKS))
    diff: dict[str, str] = field(default_factory=lambda: dict(DIFF))

    def say(self, key: str, **values) -> str:
        return self.sentences[key].format(**values)

    def mark(self, key: str, **values) -> str:
        return self.marks[key].format(**values)
