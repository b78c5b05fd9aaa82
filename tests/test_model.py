"""The value path into a Plan: the same cleaning, coercion and findings as reading a workbook."""
import datetime as dt

import pytest
from conftest import harbor_data
from workbooks import write_plan

from generator.plan.model import build_plan
from generator.plan.reader import read_plan


def codes(plan):
    return sorted((f.code, f.section) for f in plan.read_findings)


def test_values_built_in_code_are_cleaned_and_coerced_with_the_readers_findings(tmp_path):
    data = harbor_data()
    data["fields"].update({"account_name": "Harbor_x0007_ Line", "annual_target": "2,400,000",
                           "plan_date": "2026-11-02", "relationship_score": "9"})
    data["lists"]["Opportunities"][1]["Stage"] = "Won"
    data["lists"]["Opportunities"][2]["Probability"] = "40%"
    read = read_plan(write_plan(data, tmp_path / "p.xlsx"))    # Excel stores a control character escaped
    data["fields"]["account_name"] = "Harbor\x07 Line"
    built = build_plan(data["fields"], data["lists"])
    assert built.fields == read.fields
    assert built.lists == read.lists
    assert codes(built) == codes(read)
    assert built.account_name == "Harbor Line"
    assert built.fields["annual_target"] == 2_400_000 and built.fields["plan_date"] == dt.date(2026, 11, 2)
    assert built.fields["relationship_score"] is None
    assert built.opportunities[1].stage is None and built.opportunities[2].probability == pytest.approx(0.4)
    assert all(f.sheet == "" and f.cell == "" for f in built.read_findings)


def test_a_clean_plan_built_in_code_has_no_finding():
    data = harbor_data()
    assert build_plan(data["fields"], data["lists"]).read_findings == []


def test_an_unknown_field_is_refused_loudly():
    with pytest.raises(KeyError, match="not fields of the contract"):
        build_plan({"acount_name": "typo"})
