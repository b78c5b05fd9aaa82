"""The validation report: the contract's JSON object for tools, and a readable text for people."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from typing import TYPE_CHECKING

from ..errors import Refusal
from ..pipeline import Result

if TYPE_CHECKING:
    from ..view import PlanView


def _number(value: float | None) -> float | int | None:
    """Money as a plain number: whole amounts as integers, the rest to the cent."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def _fraction(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def to_json(result: Result) -> dict:
    """Exactly the shape of the contract's machine-readable report."""
    plan, f = result.plan, result.figures
    return {
        "plan": {"file": plan.file, "account_name": plan.fields["account_name"],
                 "template_version": plan.template_version, "as_of": f.as_of.isoformat()},
        "figures": {
            "position": f.position,
            **{name: _number(getattr(f, name)) for name in
               ("secured", "forecast", "pipeline", "prospect", "weighted_open", "gap_to_target", "uncovered_gap")},
            "pipeline_coverage": _fraction(f.pipeline_coverage),
            "growth_vs_prior": _fraction(f.growth_vs_prior),
            "whitespace_open": _number(f.whitespace_open),
            "readiness": _fraction(f.readiness),
            "stage_coverage": f.stage_coverage,
            "exposed_stages": list(f.exposed_stages),
            "actions": asdict(f.actions),
            "completeness": {
                "overall": _fraction(f.completeness.overall),
                "sections": {name: _fraction(v) for name, v in f.completeness.sections.items()},
                "missing": list(f.completeness.missing),
                "incomplete": list(f.completeness.incomplete),
            },
        },
        "findings": [finding.to_json() for finding in result.findings],
    }


def refusal_json(file: str, refusal: Refusal) -> dict:
    """The report of a file that could not be used: the same keys, no figures, the refusal as data."""
    return {"plan": {"file": file}, "refused": refusal.to_json(), "figures": None, "findings": []}


def summary_line(view: PlanView) -> str:
    """One line: completeness, the gap, and how many errors and warnings."""
    complete, gap = view.figure("completeness"), view.figure("gap_to_target")
    return (f"{complete.text} {complete.label.lower()} · {gap.label.lower()} {gap.text}"
            f" · {_count(view.errors, 'error')}, {_count(view.warnings, 'warning')}")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def to_text(view: PlanView, file: str, template_version: str | None,
            paint: Callable[[str, str], str] = lambda text, severity: text) -> str:
    """Findings grouped by section in the plan's order, each with its cell and what to do.

    `paint(text, severity)` may colour the severity word (the CLI does on a terminal).
    """
    title = view.account
    lines = [f"{title} — {file}",
             f"template {template_version or 'unknown'} · as of {view.as_of.isoformat()}"
             f" · position {view.figure('position').text}", ""]
    for section in view.sections:
        found = [f for f in view.findings if f.section == section.name]
        if not found:
            continue
        lines.append(section.name)
        for f in found:
            place = f"{f.sheet}!{f.cell}" if f.sheet else "workbook"
            lines.append(f"  {paint(f'{f.severity:<8}', f.severity)} {place:<22} {f.message}")
            if f.hint:
                lines.append(f"  {'':<8} {'':<22} → {f.hint}")
        lines.append("")
    if not view.findings:
        lines += ["No findings: the plan is complete and consistent.", ""]
    lines.append(summary_line(view))
    return "\n".join(lines)
