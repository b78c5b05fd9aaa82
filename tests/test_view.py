"""The one view of a plan: every part of the definition has its place, marks and orders are decided once."""
import dataclasses

import pytest
from conftest import AS_OF, harbor_data, overdue_data

from generator.plan import schema
from generator.kit import default_kit
from generator.pipeline import assess
from generator.view import BAD, FAIR, GOOD, build_view


@pytest.fixture(scope="module")
def kit():
    return default_kit()


def view_of(make_plan, data, kit):
    result = assess(make_plan(data), AS_OF)
    return build_view(result.plan, result.figures, result.findings, kit), result


def test_every_section_list_and_column_of_the_definition_has_its_place_in_the_view(make_plan, kit):
    view, result = view_of(make_plan, harbor_data(), kit)
    assert [s.name for s in view.sections] == [s.name for s in kit.definition.sections]
    for section in kit.definition.sections:
        shown = view.section(section.name)
        assert [f.name for f in shown.fields] == [f.name for f in section.fields]
        assert [spec.table for spec in shown.lists] == [spec.table for spec in section.lists]
        for spec in section.lists:
            listed = shown.list(spec.table)
            assert [c.attr for c in listed.columns] == [c.attr for c in spec.columns]
            assert [c.header for c in listed.columns] == [c.header for c in spec.columns]
            assert len(listed.rows) == len(result.plan.lists[spec.table])
            for row in listed.rows:
                assert set(row.cells) == {c.attr for c in spec.columns}


def test_figures_are_lines_with_the_one_label_and_the_one_format(make_plan, kit):
    view, result = view_of(make_plan, harbor_data(), kit)
    gap = view.figure("gap_to_target")
    assert (gap.label, gap.kind, gap.value, gap.tone) == ("Gap to target", "money", result.figures.gap_to_target, BAD)
    assert gap.text == "$1,450,000"
    assert view.figure("pipeline_coverage").text == f"{result.figures.pipeline_coverage:.2f}×"
    assert view.figure("actions_due_soon").label == "Due within 14 days"


def test_rows_are_ordered_and_marked_once_for_every_output(make_plan, kit):
    view, result = view_of(make_plan, overdue_data(), kit)
    actions = view.list("Actions")
    assert [r.excel_row for r in actions.rows_with("open")] == \
        [result.plan.actions[i].excel_row for i in result.figures.open_actions]
    overdue, = actions.rows_with("overdue")
    assert overdue["due_date"].tone == BAD and overdue["due_date"].text == "10 Nov 2026 · overdue"
    assert actions.rows_with("blocked")[0]["status"].strong
    roles = [r["role"].text for r in view.list("Stakeholders").rows]
    order = {role: i for i, role in enumerate(schema.ROLES)}
    assert roles == sorted(roles, key=order.get)
    trusted = next(r for r in view.list("Stakeholders").rows if r["relationship"].text == "Trusted advisor")
    assert trusted["relationship"].tone == GOOD
    past, = view.list("Opportunities").rows_with("past-close")
    assert past["close_date"].text.endswith("· passed")


def test_a_high_risk_without_mitigation_is_marked_in_the_view(make_plan, kit):
    data = harbor_data()
    data["lists"]["Risks"][0].update({"Impact": "High", "Mitigation": None})
    view, _ = view_of(make_plan, data, kit)
    risk = next(r for r in view.list("Risks").rows if "unmitigated" in r.flags)
    assert risk["mitigation"].tone == BAD and risk["mitigation"].text == "No mitigation"
    assert view.list("Risks").rows[0] is risk            # high impact first


def test_the_three_answers_are_structured_and_say_what_is_missing(make_plan, kit):
    view, _ = view_of(make_plan, {"fields": {"account_name": "Sparse"}, "lists": {}}, kit)
    assert [a.question for a in view.answers] == list(kit.wording.questions.values())
    assert all(line.gap for a in view.answers for line in a.lines)
    assert view.answers[0].lines[0].text == "Missing: the plan names no objective."
    assert view.section("Risks").missing
    assert "'Risks' sheet" in view.section("Risks").missing_text


def test_an_unusable_value_is_marked_invalid_at_its_cell(tmp_path, kit):
    from workbooks import write_plan

    from generator.pipeline import check

    data = harbor_data()
    data["lists"]["Opportunities"][1]["Stage"] = "Won"
    result = check(write_plan(data, tmp_path / "p.xlsx"), AS_OF)
    view = build_view(result.plan, result.figures, result.findings, kit)
    stage = view.list("Opportunities").rows[1]["stage"]
    assert stage.invalid and stage.tone == BAD


def test_exposed_stages_section_status_finding_tone_and_alignment_are_in_the_view(make_plan, kit):
    data = harbor_data()
    people = data["lists"]["Stakeholders"]
    people[2]["Evaluation of alternatives"] = None     # Kenji no longer covers the Detractor's stages
    people[2]["Information search"] = None
    view, result = view_of(make_plan, data, kit)
    exposed = view.figure("exposed_stages")
    assert exposed.value == tuple(result.figures.exposed_stages) and exposed.value
    assert (exposed.label, exposed.text, exposed.tone) == ("Exposed stages", ", ".join(exposed.value), BAD)
    calm, _ = view_of(make_plan, harbor_data(), kit)
    assert (calm.figure("exposed_stages").value, calm.figure("exposed_stages").tone) == ((), None)

    sparse, _ = view_of(make_plan, {"fields": {"account_name": "Sparse"}, "lists": {}}, kit)
    missing, complete = sparse.section("Risks").status_cell, calm.section("Risks").status_cell
    assert (missing.text, missing.tone, missing.strong) == (kit.wording.mark("missing"), BAD, True)
    assert (complete.text, complete.tone, complete.strong) == (kit.wording.mark("complete"), GOOD, False)

    opportunities = view.list("Opportunities")
    assert [c.attr for c in opportunities.columns if c.right_aligned] == ["value", "probability"]
    warning = view.findings[0]
    assert warning.severity == "warning" and warning.tone == FAIR
    assert dataclasses.replace(warning, severity="error").tone == BAD


def test_a_kits_own_section_has_its_place_and_columns_carry_their_layout(make_plan, kit):
    from dataclasses import replace

    from generator.plan.model import row_class

    partners = schema.ListSpec("Partners", "Partner", "partners", (
        schema.Column("Partner", "partner", required=True, width=24),
        schema.Column("Tier", "tier", schema.CHOICE, choices=("Gold", "Silver"))))
    own = replace(kit, definition=replace(kit.definition, sections=(
        *kit.definition.sections, schema.Section("Partner plan", "Partners", "Who helps us win.", lists=(partners,)))))
    view, _ = view_of(make_plan, harbor_data(), own)       # a plan read without the kit's list: no rows
    listed = view.section("Partner plan").list("Partners")
    assert listed.rows == () and [c.header for c in listed.columns] == ["Partner", "Tier"]
    assert (listed.column("partner").width, listed.column("tier").choices) == (24, ("Gold", "Silver"))
    stage = view.list("Opportunities").column("stage")
    assert (stage.width, stage.choices) == (12, schema.STAGES)

    plan = make_plan(harbor_data())
    plan.lists["Partners"] = [row_class(partners)(partner="Northwind", tier="Gold")]
    result = assess(plan, AS_OF)
    row, = build_view(plan, result.figures, result.findings, own).list("Partners").rows
    assert (row["partner"].text, row["tier"].text) == ("Northwind", "Gold")
    assert row_class(partners) is row_class(partners)
