"""Generated plans of any size for the benchmarks: the Harbor Line sample with its opportunities, stakeholders
and actions repeated to `rows` each (names numbered, stages, dates and statuses varied), written through the
blank template as a rep's workbook would be.

    python bench/plans.py 5000 /tmp/big.xlsx
"""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

STAGES = ("Secured", "Forecast", "Pipeline", "Pipeline", "Prospect")
STATUSES = ("Not started", "In progress", "Done", "Blocked")
RELATIONSHIPS = ("Trusted advisor", "Building trust", "Poor", "Building trust")
ROLES = ("Decision maker", "Budget holder", "Supporter", "Influencer", "Detractor", "User")


def plan_data(rows: int, account: str = "") -> dict:
    """The Harbor Line sample with `rows` opportunities, `rows` stakeholders and `rows` actions (and the
    account named `account`, when given)."""
    from generator.samples import harbor_line

    data = harbor_line()
    if account:
        data["fields"]["account_name"] = account
    lists = data["lists"]
    lists["Opportunities"] = [_repeat(lists["Opportunities"], i, {
        "Opportunity": f"Opportunity {i + 1}", "Stage": STAGES[i % len(STAGES)],
        "Value": 20_000 + (i * 7_919) % 480_000,
        "Close date": dt.date(2026, 12, 1) + dt.timedelta(days=(i * 13) % 360)}) for i in range(rows)]
    lists["Stakeholders"] = [_repeat(lists["Stakeholders"], i, {
        "Name": f"Person {i + 1}", "Role": ROLES[i % len(ROLES)],
        "Relationship": RELATIONSHIPS[i % len(RELATIONSHIPS)]}) for i in range(rows)]
    lists["Actions"] = [_repeat(lists["Actions"], i, {
        "Action": f"Action {i + 1}: follow up with Person {i + 1}", "Status": STATUSES[i % len(STATUSES)],
        "Due date": dt.date(2026, 11, 1) + dt.timedelta(days=(i * 11) % 200)}) for i in range(rows)]
    return data


def _repeat(rows: list[dict], i: int, changes: dict) -> dict:
    return {**rows[i % len(rows)], **changes}


def write_plan(rows: int, path: Path, account: str = "") -> Path:
    """A plan of `rows` opportunities, stakeholders and actions, written as a workbook at `path`."""
    from generator.plan.template import write_filled

    path.parent.mkdir(parents=True, exist_ok=True)
    return write_filled(plan_data(rows, account), path)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    print(write_plan(int(sys.argv[1]), Path(sys.argv[2])))
