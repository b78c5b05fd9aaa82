"""The pipeline as a library: plans built from values reach every output, and kits are values."""
import dataclasses
import zipfile

import openpyxl
from conftest import AS_OF, harbor_data
from outputs import deck_text, document_text
from workbooks import write_plan

from generator.kit import default_kit
from generator.pipeline import OUTPUTS, assess, build, check, render, view_of
from generator.plan.model import build_plan


def odd_plan():
    """Control characters, whole sections empty, absurd and unusable values: through the value path."""
    return build_plan(
        {"account_name": "Odd\x07 Co\x00rp", "account_owner": "Ann\x1b Lee", "annual_target": 9.9e15,
         "prior_year_actual": 1, "relationship_score": "eleven", "plan_period": "FY2027\x0b"},
        {"Opportunities": [{"Opportunity": "x" * 400, "Stage": "Won", "Value": 1e15, "Probability": 4000},
                           {"Opportunity": "Tiny", "Stage": "Pipeline", "Value": 0.01}],
         "Actions": [{"Action": "\x01", "Owner": None}]})


def test_an_odd_plan_built_from_values_reaches_all_three_outputs(tmp_path):
    plan = odd_plan()
    assert plan.account_name == "Odd Corp" and plan.fields["plan_period"] == "FY2027"
    assert {f.code for f in plan.read_findings} >= {"text-cleaned", "wrong-kind", "choice-invalid", "out-of-range"}
    result = assess(plan, AS_OF)
    kit = default_kit()
    view = view_of(result, kit)
    paths = {name: tmp_path / f"odd{suffix}" for name, (suffix, _) in OUTPUTS.items()}
    for name, path in paths.items():
        render(name, result, view, kit, path)
    assert "Odd Corp" in deck_text(paths["deck"])
    assert "Odd Corp" in document_text(paths["document"])
    workbook = openpyxl.load_workbook(paths["workbook"])
    assert workbook["Account"]["C4"].value == "Odd Corp"
    assert "Review" in workbook.sheetnames


def test_two_kits_build_side_by_side_in_one_process_each_output_in_its_own_colours(tmp_path):
    source = write_plan(harbor_data(), tmp_path / "plan.xlsx")
    plain = default_kit()
    branded = dataclasses.replace(plain, brand=dataclasses.replace(plain.brand, primary="0B5394", accent="E69138",
                                                                   font="Arial", heading_font="Arial"))
    outputs = {}
    for name, kit in (("plain", plain), ("branded", branded), ("plain-again", plain)):
        _, outputs[name] = build(source, tmp_path / name, AS_OF, kit=kit)

    def parts(paths):
        found = {}
        for path in paths:
            with zipfile.ZipFile(path) as archive:
                found[path.suffix] = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                                             if n.endswith(".xml"))
        return found

    plain_xml, branded_xml = parts(outputs["plain"]), parts(outputs["branded"])
    for suffix in (".pptx", ".docx", ".xlsx"):
        assert "0B5394" in branded_xml[suffix] and "0B5394" not in plain_xml[suffix], suffix
        assert plain.brand.primary in plain_xml[suffix], suffix
    assert 'typeface="Arial"' in branded_xml[".pptx"] and 'w:ascii="Arial"' in branded_xml[".docx"]
    assert [p.read_bytes() for p in outputs["plain"]] == [p.read_bytes() for p in outputs["plain-again"]]


def test_check_and_build_take_the_workbooks_bytes(tmp_path):
    source = write_plan(harbor_data(), tmp_path / "plan.xlsx")
    from_path = check(source, AS_OF)
    from_bytes = check(source.read_bytes(), AS_OF, name="upload.xlsx")
    assert from_bytes.plan.file == "upload.xlsx"
    assert from_bytes.figures == from_path.figures and from_bytes.findings == from_path.findings
    _, written = build(source.read_bytes(), tmp_path / "out", AS_OF, name="upload.xlsx")
    _, again = build(source, tmp_path / "again", AS_OF)
    assert [p.read_bytes() for p in written] == [p.read_bytes() for p in again]


def test_a_build_freezes_what_it_read_only_while_it_writes(tmp_path, monkeypatch):
    """`settled`, for a process that ends with the build (`last`): the plan read is left alone by the
    collector while the outputs are written, and thawed after; a caller's own frozen objects stay frozen;
    without `last` (a worker building plan after plan) nothing is frozen."""
    import gc

    from generator import pipeline

    plan = write_plan(harbor_data(), tmp_path / "plan.xlsx")
    seen = []
    real_render = pipeline.render
    monkeypatch.setattr(pipeline, "render", lambda *a, **k: (seen.append(gc.get_freeze_count()), real_render(*a, **k)))
    assert gc.get_freeze_count() == 0
    build(plan, tmp_path / "worker", AS_OF)
    assert seen == [0, 0, 0]
    seen.clear()
    build(plan, tmp_path / "out", AS_OF, last=True)
    assert len(seen) == 3 and all(count > 0 for count in seen)        # frozen while each output is written
    assert gc.get_freeze_count() == 0                                    # thawed after
    gc.freeze()
    try:
        build(plan, tmp_path / "again", AS_OF, last=True)
        assert gc.get_freeze_count() > 0                                 # the caller's freeze left as it was
    finally:
        gc.unfreeze()


def test_the_collector_rests_while_a_last_build_reads_and_is_back_after(tmp_path, monkeypatch):
    """`collector_paused`: a build that ends the process (`last`) reads with Python's collector off, then
    turns it back on with nothing left frozen; a worker's build (not `last`) keeps it on; a caller that has
    turned it off itself finds it off."""
    import gc

    from generator import pipeline

    plan = write_plan(harbor_data(), tmp_path / "plan.xlsx")
    seen = []
    real_check = pipeline.check
    monkeypatch.setattr(pipeline, "check", lambda *a, **k: (seen.append(gc.isenabled()), real_check(*a, **k))[1])
    build(plan, tmp_path / "worker", AS_OF)
    build(plan, tmp_path / "last", AS_OF, last=True)
    assert seen == [True, False]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        build(plan, tmp_path / "off", AS_OF, last=True)
        assert not gc.isenabled()
    finally:
        gc.enable()
