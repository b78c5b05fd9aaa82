"""Shared fixtures: plans built in code, so every test knows exactly what went in."""
from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import subprocess

import pytest

from generator import samples
from generator.plan.model import build_plan
from generator.pipeline import assess

AS_OF = samples.SAMPLE_AS_OF


def harbor_data() -> dict:
    return copy.deepcopy(samples.harbor_line())


def sparse_data() -> dict:
    """Only the account basics: every other section is missing."""
    return {"fields": {"account_name": "Sparrow & Sons Ltd", "account_owner": "Ann Lee",
                       "plan_period": "FY2027", "plan_date": dt.date(2026, 11, 1)}, "lists": {}}


def overdue_data() -> dict:
    """Harbor with an overdue open action, a blocked one, and an opportunity past its close date."""
    data = harbor_data()
    actions = data["lists"]["Actions"]
    actions[2]["Due date"] = dt.date(2026, 11, 10)   # Invite Greg Hollis: open and overdue on AS_OF
    actions[1]["Status"] = "Blocked"
    data["lists"]["Opportunities"][3]["Close date"] = dt.date(2026, 10, 31)  # Tracking portal, Pipeline
    return data


def many_opportunities_data(count: int = 40) -> dict:
    data = harbor_data()
    stages = ("Secured", "Forecast", "Pipeline", "Prospect")
    data["lists"]["Opportunities"] = [
        {"Opportunity": f"Opportunity number {i + 1} with a rather long descriptive name for the table",
         "Offering": "Platform", "Stage": stages[i % 4], "Value": 10_000 * (i + 1),
         "Close date": dt.date(2027, 1 + i % 12, 1), "Owner": "Dana Whitfield",
         "Next step": "Follow up with the customer's steering group about scope and timing " * 2}
        for i in range(count)]
    return data


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF


@pytest.fixture
def make_plan():
    """`make_plan(data)` -> Plan built from {"fields": ..., "lists": ...}."""
    def make(data: dict):
        return build_plan(data.get("fields"), data.get("lists"), file="in-code.xlsx")
    return make


@pytest.fixture
def harbor_plan(make_plan):
    return make_plan(harbor_data())


@pytest.fixture
def harbor(harbor_plan):
    """The complete sample, assessed on the sample's as-of date."""
    return assess(harbor_plan, AS_OF)


@pytest.fixture
def overdue(make_plan):
    """Harbor with an overdue open action, a blocked one, an action with no owner and a past close date."""
    data = overdue_data()
    data["lists"]["Actions"][3]["Owner"] = None
    return assess(make_plan(data), AS_OF)


@pytest.fixture
def sparse(make_plan):
    return assess(make_plan(sparse_data()), AS_OF)


@pytest.fixture
def many_opportunities(make_plan):
    return assess(make_plan(many_opportunities_data()), AS_OF)


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """`soffice(sources, to, folder)` converts files with LibreOffice, one profile for the whole run
    (its first-run set-up is paid once); returns the converted paths."""
    profile = tmp_path_factory.mktemp("libreoffice-profile")

    def convert(sources, to: str, folder):
        sources = [sources] if not isinstance(sources, (list, tuple)) else list(sources)
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([libreoffice(), "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", to,
                        "--outdir", str(folder), *map(str, sources)], check=True, capture_output=True, timeout=300)
        return [folder / f"{source.stem}.{to.split(':')[0]}" for source in sources]
    return convert


# In CI LibreOffice is installed by .ci/run, so a missing one fails the test instead of skipping it.
needs_libreoffice = pytest.mark.skipif(libreoffice() is None and not os.environ.get("CI"),
                                       reason="LibreOffice is not installed")
