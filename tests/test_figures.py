"""Each figure against numbers worked by hand, on plans chosen so that mistakes show."""
import datetime as dt

import pytest

from generator.assess.figures import compute, position
from generator.plan.model import build_plan

D = dt.date
AS_OF = D(2027, 1, 15)


def opportunities_plan(target=1_000_000, prior=800_000):
    return build_plan({"annual_target": target, "prior_year_actual": prior}, {"Opportunities": [
        {"Opportunity": "a", "Stage": "Secured", "Value": 100_000},
        {"Opportunity": "b", "Stage": "Forecast", "Value": 200_000},                     # default 80%
        {"Opportunity": "c", "Stage": "Pipeline", "Value": 300_000, "Probability": 0.5},
        {"Opportunity": "d", "Stage": "Pipeline", "Value": 50_000},                      # default 40%
        {"Opportunity": "e", "Stage": "Prospect", "Value": 400_000},                     # default 10%
        {"Opportunity": "f", "Stage": "Secured", "Value": 20_000, "Probability": 0.3},   # not weighted
        {"Opportunity": "g", "Stage": None, "Value": 999_999},                           # unusable stage
    ]})


def test_sums_by_stage_and_weighted_open():
    f = compute(opportunities_plan(), AS_OF)
    assert (f.secured, f.forecast, f.pipeline, f.prospect) == (120_000, 200_000, 350_000, 400_000)
    assert f.weighted_open == pytest.approx(160_000 + 150_000 + 20_000 + 40_000)
    assert f.probabilities == pytest.approx((1.0, 0.8, 0.5, 0.4, 0.1, 0.3, 0.0))


def test_gap_uncovered_coverage_growth():
    f = compute(opportunities_plan(), AS_OF)
    assert f.gap_to_target == 880_000
    assert f.uncovered_gap == pytest.approx(510_000)
    assert f.pipeline_coverage == pytest.approx(950_000 / 880_000)
    assert f.growth_vs_prior == pytest.approx(0.25)


def test_weighted_value_by_open_stage_and_the_surplus_over_target():
    f = compute(opportunities_plan(), AS_OF)
    assert list(f.weighted_by_stage) == ["Forecast", "Pipeline", "Prospect"]
    assert f.weighted_by_stage == pytest.approx({"Forecast": 160_000, "Pipeline": 150_000 + 20_000,
                                                 "Prospect": 40_000})
    assert sum(f.weighted_by_stage.values()) == f.weighted_open
    assert f.surplus == 0                                    # 120k + 370k weighted, short of 1M
    assert f.secured + f.weighted_open + f.uncovered_gap == pytest.approx(1_000_000)
    covered = compute(opportunities_plan(target=400_000), AS_OF)
    assert covered.uncovered_gap == 0 and covered.surplus == pytest.approx(120_000 + 370_000 - 400_000)
    assert compute(build_plan(), AS_OF).surplus is None      # no target, nothing to be above


def test_zero_gap_gives_no_coverage_and_no_uncovered_gap():
    f = compute(opportunities_plan(target=100_000, prior=None), AS_OF)
    assert f.gap_to_target == 0
    assert f.uncovered_gap == 0
    assert f.pipeline_coverage is None
    assert f.growth_vs_prior is None


def test_no_target_gives_no_gap():
    f = compute(build_plan(), AS_OF)
    assert (f.gap_to_target, f.uncovered_gap, f.pipeline_coverage) == (None, None, None)
    assert (f.secured, f.weighted_open, f.whitespace_open) == (0, 0, 0)


@pytest.mark.parametrize("relationship, potential, expected", [
    (3, 3, "Key"), (5, 5, "Key"), (2, 3, "Target"), (1, 5, "Target"),
    (3, 2, "Managed"), (5, 1, "Managed"), (2, 2, "Maintained"), (1, 1, "Maintained"), (None, 3, None), (3, None, None),
])
def test_position_matrix(relationship, potential, expected):
    assert position(relationship, potential) == expected


def actions_plan():
    return build_plan(lists={"Actions": [
        {"Action": "overdue", "Owner": "a", "Due date": D(2027, 1, 14), "Status": "In progress"},
        {"Action": "due today", "Owner": "a", "Due date": D(2027, 1, 15), "Status": None},
        {"Action": "blocked, last day of due-soon", "Owner": "a", "Due date": D(2027, 1, 29), "Status": "Blocked"},
        {"Action": "a day too late for due-soon", "Owner": "a", "Due date": D(2027, 1, 30)},
        {"Action": "done in the past", "Owner": "a", "Due date": D(2027, 1, 1), "Status": "Done"},
        {"Action": "undated", "Owner": "a", "Due date": None},
    ]})


def test_action_counts_with_blocked_open_and_due_soon_edges():
    f = compute(actions_plan(), AS_OF)
    assert (f.actions.open, f.actions.done, f.actions.blocked) == (5, 1, 1)
    assert (f.actions.overdue, f.actions.due_soon) == (1, 2)
    assert f.overdue_actions == (0,)
    assert f.due_soon_actions == (1, 2)
    assert f.open_actions == (0, 1, 2, 3, 5)      # by due date, the undated last
    assert f.next_action == 0


def test_readiness_counts_partly_as_half_and_is_none_before_any_answer():
    answered = build_plan(lists={"PressureTest": [
        {"Question": "q1", "Answer": "Yes"}, {"Question": "q2", "Answer": "Partly"},
        {"Question": "q3", "Answer": "No"}, {"Question": "q4", "Answer": "Unknown"}]})
    assert compute(answered, AS_OF).readiness == pytest.approx(0.375)
    unanswered = build_plan(lists={"PressureTest": [{"Question": "q1"}, {"Question": "q2"}]})
    assert compute(unanswered, AS_OF).readiness is None


def stakeholder(name, role, relationship, *stages):
    return {"Name": name, "Role": role, "Relationship": relationship, **{s: "X" for s in stages}}


def test_stage_coverage_and_exposed_stages():
    plan = build_plan(lists={"Stakeholders": [
        stakeholder("Dee", "Detractor", "Poor", "Need recognition", "Information search", "Purchase decision"),
        stakeholder("Sam", "Supporter", "Building trust", "Need recognition"),
        stakeholder("Ian", "Influencer", "Trusted advisor", "Information search"),
        stakeholder("Una", "User", "Building trust", "Purchase decision"),
        stakeholder("Dan", "Decision maker", "Unknown", "Purchase decision"),
    ]})
    f = compute(plan, AS_OF)
    assert f.exposed_stages == ["Purchase decision"]
    assert f.stage_coverage["Purchase decision"] == {
        "Decision maker": ["Unknown"], "User": ["Building trust"], "Detractor": ["Poor"]}
    assert f.stage_coverage["Evaluation of alternatives"] == {}
    assert f.decision_makers == (4,)


def test_whitespace_open_counts_only_open():
    plan = build_plan(lists={"Whitespace": [
        {"Offering": "a", "Status": "Open", "Estimated value": 100},
        {"Offering": "b", "Status": "Owned", "Estimated value": 1000},
        {"Offering": "c", "Status": "Open", "Estimated value": None},
        {"Offering": "d", "Status": "Open", "Estimated value": 50}]})
    assert compute(plan, AS_OF).whitespace_open == 150


def test_completeness_by_section_and_overall():
    plan = build_plan(
        {"account_name": "A", "account_owner": "B", "plan_period": "FY27", "drivers": "x", "delivery": "y",
         "annual_target": 10},
        {"PressureTest": [{"Question": "Do we have access to the economic decision maker?"}],  # template text
         "Risks": [{"Risk": "r"}], "Actions": [{"Action": "no owner", "Due date": D(2027, 2, 1)}]})
    c = compute(plan, AS_OF).completeness
    assert c.sections["Account"] == pytest.approx(3 / 6)
    assert c.sections["Five components"] == pytest.approx(2 / 5)
    assert c.sections["Path to the number"] == pytest.approx(1 / 2)
    assert c.sections["Risks"] == 1.0
    assert c.sections["Action plan"] == 0.0
    assert c.overall == pytest.approx((3 + 2 + 1 + 1) / 24)
    assert "Pressure test" in c.missing and "Action plan" not in c.missing
    assert c.incomplete == ["Account", "Path to the number", "Five components", "Action plan"]


def test_complete_sample_figures(harbor):
    f = harbor.figures
    assert f.position == "Key"
    assert (f.secured, f.forecast, f.pipeline, f.prospect) == (950_000, 600_000, 600_000, 400_000)
    assert f.weighted_open == pytest.approx(420_000 + 140_000 + 125_000 + 40_000)
    assert f.completeness.overall == 1.0 and not f.completeness.missing
