"""The words every output shares: figure labels, the three leadership questions and their answers, marks.

One catalogue, so the deck, the document, the checked workbook and the text report say the same thing
the same way. Sentences are `str.format` templates with named fields; a kit may override any entry.
"""
from __future__ import annotations

from dataclasses import field

from .records import record

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

# The portfolio (`accountplan portfolio`): the deck's slides and the workbook's sheets. `count_*` are counted
# nouns other entries take as a blank (`{plans}` is `count_plans` or `count_plans_one`: "3 plans", "1 plan");
# `_one` is the entry when the count is 1. The workbook's table column headers and table names never change
# (other tools read the workbook by them); the figures' labels come from [wording.figures].
PORTFOLIO = {
    # Counted nouns
    "count_plans": "{count} plans", "count_plans_one": "{count} plan",
    "count_account_plans": "{count} account plans", "count_account_plans_one": "{count} account plan",
    "count_accounts": "{count} accounts", "count_accounts_one": "{count} account",
    "count_errors": "{count} errors", "count_errors_one": "{count} error",
    "count_warnings": "{count} warnings", "count_warnings_one": "{count} warning",
    "count_owners": "{count} owners", "count_owners_one": "{count} owner",
    "count_files": "{count} files", "count_files_one": "{count} file",
    "count_overdue_actions": "{count} overdue actions", "count_overdue_actions_one": "{count} overdue action",
    "count_blocked_actions": "{count} blocked actions", "count_blocked_actions_one": "{count} blocked action",
    "count_more_accounts": "{count} more accounts", "count_more_accounts_one": "{count} more account",
    "count_more_plans": "{count} more plans", "count_more_plans_one": "{count} more plan",
    "count_more_owners": "{count} more owners", "count_more_owners_one": "{count} more owner",
    "count_more_overdue_actions": "{count} more overdue actions",
    "count_more_overdue_actions_one": "{count} more overdue action",
    "count_more_files": "{count} more files", "count_more_files_one": "{count} more file",
    # The deck as a file, and words more than one slide uses
    "deck_title": "Portfolio",
    "deck_footer": "Portfolio · {count} account plans · as of {date}",
    "names_more": "{names} and {count} more",
    "no_plans": "No plan could be read.",
    "no_target_title": "No plan gives an annual target",
    "no_target_title_currency": "No {currency} plan gives an annual target",
    "no_owner": "(no owner)",
    "more": "and {rows}",
    "header_account": "Account",
    "header_owner": "Owner",
    # 1. Portfolio (the cover)
    "cover_topic": "Portfolio review",
    "cover_title": "{plans} as of {date}",
    "cover_title_undated": "{plans}",
    "cover_notes": "The portfolio in one page: for each currency, the summed target and what covers it. Every "
                   "number is a plan's own figure or a sum of them; plans in different currencies are never added "
                   "together. Then how healthy the plans are: errors, overdue actions, files that could not be read.",
    "more_currencies": "Also in {currencies}: see the path to the number for each currency.",
    "largest_gaps": "Largest uncovered gaps",
    "largest_gap": "{account} {gap}",
    "largest_gaps_more": "and {accounts}",
    "largest_gaps_currency": "{currency}: {accounts}",
    "health_heading": "Plan health",
    "health_errors": "{plans} with errors",
    "health_errors_detail": "{errors} and {warnings} in all",
    "health_overdue": "{actions}",
    "health_overdue_detail": "of {open} open, with {owners}",
    "health_overdue_detail_none": "of {open} open",
    "health_blocked": "{actions}",
    "health_blocked_detail": "open, but stuck",
    "health_no_decision_maker": "{plans} without a decision maker",
    "health_no_decision_maker_detail": "nobody in the Decision maker role",
    "health_not_read": "{files} not read",
    "health_not_read_detail": "listed at the end, with the reason",
    "health_not_read_detail_none": "every file was a usable plan",
    # 2. Path to the number
    "path_topic": "Path to the number",
    "path_topic_currency": "Path to the number ({currency})",
    "path_title_gap": "{gap} uncovered against a {target} target across {accounts}",
    "path_title_covered": "Every {currency} target is covered: {target} in all",
    "path_notes": "Read the bars left to right, over the {plans} with a target: what is secured, then forecast, "
                  "pipeline and prospect weighted by probability, then what accounts above their own target have "
                  "to spare (it covers no other account's gap, so it comes off), then the uncovered gap that is "
                  "left, up to the summed target. Ask which accounts hold the gap: the next slides rank them.",
    "path_above_target": "Above target ({accounts})",
    "path_no_target": "Without an annual target there is no path to show: the plans' totals are beside.",
    "path_header_total": "Total",
    "path_row_plans": "Plans",
    "path_row_with_target": "With a target",
    "path_note": "Sums of each plan's own figures. An account above its target does not cover another's gap: the "
                 "uncovered gap adds up each account's own.",
    "path_note_untargeted": "Not in the chart (no target): {names}.",
    # 3. Position
    "matrix_topic": "Position",
    "matrix_notes": "Where the accounts sit: potential up, relationship across. Key accounts get the most time; "
                    "Target accounts need relationships built; Managed and Maintained are served efficiently. "
                    "Accounts whose relationship or potential score is missing are listed as not placed.",
    "matrix_title_count": "{count} {position}",
    "matrix_title_not_placed": "{count} not placed",
    "matrix_title_none": "No plan could be read",
    "matrix_key": "High potential, strong relationship",
    "matrix_target": "High potential, relationship to build",
    "matrix_managed": "Low potential, strong relationship",
    "matrix_maintained": "Low potential, relationship to build",
    "matrix_quadrant": "{position} · {count}",
    "matrix_no_account": "No account",
    "matrix_names_more": "and {count} more",
    "matrix_names_count": "{count} accounts",
    "matrix_potential": "Potential →",
    "matrix_relationship": "Relationship →",
    "matrix_not_placed": "Not placed (relationship or potential score missing): {names}",
    # 4. Uncovered gap by account
    "ranked_topic": "Uncovered gap by account",
    "ranked_topic_currency": "Uncovered gap by account ({currency})",
    "ranked_title": "{accounts} short of target; {account} the most, {gap}",
    "ranked_title_one": "Only {account} is short of target: {gap} uncovered",
    "ranked_title_covered": "Every account's target is covered by secured and weighted open business",
    "ranked_notes": "The accounts by what they still have to find after secured and weighted open business, "
                    "largest first. Coverage is all open value, unweighted, against the gap to target: below 3× "
                    "is thin.",
    "ranked_header_target": "Target",
    "ranked_header_coverage": "Coverage",
    "ranked_more": "and {accounts}, {gap} uncovered between them",
    "ranked_no_target": "No target, so no gap: {names}",
    # 5. Plan health
    "health_topic": "Plan health",
    "health_title_errors": "{count} of {plans} have errors",
    "health_title_no_errors": "No errors in {plans}",
    "health_title_no_decision_maker": "{count} without a decision maker",
    "health_notes": "The plans worst first: errors (numbers that could not be read), then the least complete, then "
                    "overdue actions, buying stages exposed to a detractor, and no decision maker. Each plan's "
                    "checked workbook shows where to fix it.",
    "health_header_errors": "Errors",
    "health_header_warnings": "Warnings",
    "health_header_overdue": "Overdue actions",
    "health_header_decision_maker": "Decision maker",
    "health_named": "Named",
    "health_none_named": "None named",
    "health_more": "and {plans} ({clean} without errors or overdue actions)",
    # 6. Overdue actions
    "overdue_topic": "Overdue actions",
    "overdue_title": "{actions}, the most with {owner} ({count})",
    "overdue_title_one_owner": "{actions}, all with {owner}",
    "overdue_title_none": "No overdue action across {plans}",
    "overdue_notes": "Overdue actions by owner: who to follow up with, and the oldest actions first. An action is "
                     "overdue when it is open past its due date on the as-of date.",
    "overdue_none": "{open} open actions, none past its due date.",
    "overdue_header_overdue": "Overdue",
    "overdue_header_oldest": "Oldest due",
    "overdue_header_due": "Due",
    "overdue_header_action": "Action",
    # 7. Files not read
    "refused_topic": "Files not read",
    "refused_title": "{files} could not be read",
    "refused_notes": "These files are in no total: each line says why and what to do. Fix them and run the "
                     "portfolio again.",
    "refused_header_file": "File",
    "refused_header_why": "Why",
    # The workbook: sheet names (at most 31 characters, none of : \\ / ? * [ ]), titles, notes
    "workbook_title": "Portfolio",
    "workbook_subject": "{count} account plans",
    "sheet_plans": "Plans",
    "sheet_totals": "Totals",
    "sheet_gap": "Uncovered gap",
    "sheet_actions": "Actions",
    "sheet_findings": "Findings",
    "sheet_not_read": "Not read",
    "sheet_earlier_not_read": "Earlier not read",
    "plans_note": "{count} plans{when} · each row is the plan's own figures; computed by accountplan, replaced on "
                  "every run",
    "plans_note_as_of": " · as of {date}",
    "plans_note_currencies": " · money in each plan's currency: totals per currency on Totals",
    "plans_note_since": " · moves since the plans in {folder}",
    "plans_total": "Total",
    "plans_total_currencies": "Total (money: see Totals)",
    "totals_title": "Totals",
    "totals_note": "Each figure added up over the plans in one currency; plans in different currencies are never "
                   "added together. Targets and gaps count the plans that give a target.",
    "totals_header": "Figure",
    "totals_plans": "Plans",
    "totals_with_target": "Plans with a target",
    "totals_across": "Across plans",
    "totals_files_read": "Files read",
    "totals_not_usable": "Files not usable",
    "totals_plans_with_errors": "Plans with errors",
    "totals_errors": "Errors",
    "totals_warnings": "Warnings",
    "totals_open_actions": "Open actions",
    "totals_overdue_actions": "Overdue actions",
    "totals_blocked_actions": "Blocked actions",
    "gap_title": "Uncovered gap by account",
    "gap_note": "What each account still has to find after secured and weighted open business, largest first; "
                "one chart per currency.",
    "gap_heading": "Uncovered gap ({currency})",
    "gap_header_account": "Account",
    "gap_header_gap": "Uncovered gap ({currency})",
    "gap_no_target": "No plan in this currency gives a target.",
    "gap_chart": "Uncovered gap by account ({currency})",
    "gap_chart_first": "Uncovered gap by account ({currency}, the first {shown} of {count})",
    "actions_title": "Open actions",
    "actions_note": "{open} open actions across {plans} plans, {overdue} overdue, {blocked} blocked; overdue "
                    "first, then by due date.",
    "findings_title": "Findings",
    "findings_note": "{errors} errors and {warnings} warnings across {plans} plans, errors first; each names its "
                     "file and cell.",
    "not_read_title": "Files not read",
    "not_read_note": "{count} files could not be used; they are in no total.",
    "earlier_not_read_title": "Earlier versions not read",
    "earlier_not_read_note": "{count} files in {folder} could not be used; no plan was compared with them.",
}


@record
class Wording:
    """The outputs' words by key (figure labels, questions, sentences, marks, the diff's, the
    portfolio's); a kit may override them."""

    figures: dict[str, str] = field(default_factory=lambda: dict(FIGURE_LABELS))
    questions: dict[str, str] = field(default_factory=lambda: dict(QUESTIONS))
    sentences: dict[str, str] = field(default_factory=lambda: dict(SENTENCES))
    marks: dict[str, str] = field(default_factory=lambda: dict(MARKS))
    diff: dict[str, str] = field(default_factory=lambda: dict(DIFF))
    portfolio: dict[str, str] = field(default_factory=lambda: dict(PORTFOLIO))

    def say(self, key: str, **values) -> str:
        return self.sentences[key].format(**values)

    def mark(self, key: str, **values) -> str:
        return self.marks[key].format(**values)
