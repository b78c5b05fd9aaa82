"""Every broken or hostile file of the corpus is refused with the right error and one clear line,
within a second and 50 MB, and is left untouched; ordinary workbooks pass."""
import hashlib
import re
import time
import tracemalloc

import openpyxl
import openpyxl.xml
import pytest
from click.testing import CliRunner
from conftest import harbor_data, needs_libreoffice
from make_corpus import RECIPES, make_corpus, parts_of, valid_xlsx_bytes, write_zip
from workbooks import write_plan

from generator import errors
from generator.plan.sniff import MAX_SHEETS, sniff
from generator.plan.template import write_template

MB = 1024 * 1024
SNIFFED = [name for name, recipe in RECIPES.items() if recipe.via == "sniff"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return {case.name: case for case in make_corpus(tmp_path_factory.mktemp("corpus"))}


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def refusal(check, path):
    """The error `check(path)` raises, and the seconds and peak traced memory it took."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(errors.UnusableFileError) as caught:
            check(path)
    finally:
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return caught.value, seconds, peak


def assert_refused_as_expected(case, check):
    before = digest(case.path)
    error, seconds, peak = refusal(check, case.path)
    assert type(error).__name__ == case.error, error.one_line()
    assert error.exit_code == case.exit_code == errors.EXIT_UNUSABLE_FILE
    assert case.message in error.one_line()
    assert error.refusal.code == case.code
    assert error.file == str(case.path)
    line = error.one_line()
    assert line.startswith(f"{case.path}: ") and "\n" not in line
    assert seconds < 1, f"took {seconds:.2f} s"
    assert peak < 50 * MB, f"peak {peak / MB:.0f} MB"
    assert digest(case.path) == before


def test_the_corpus_holds_every_kind_of_unusable_file(corpus):
    assert len(corpus) >= 25
    assert {case.error for case in corpus.values()} == {
        "FileMissingError", "NotAWorkbookError", "WrongFormatError", "HostileFileError",
        "NotAnAccountPlanError", "TemplateTooNewError"}


@pytest.mark.parametrize("name", SNIFFED)
def test_sniff_refuses_each_file_with_its_error_quickly_and_leaves_it_unchanged(corpus, name):
    assert_refused_as_expected(corpus[name], sniff)


@pytest.mark.parametrize("name", list(RECIPES))
def test_the_reader_refuses_each_file_the_same_way(corpus, name):
    read_plan = pytest.importorskip("generator.plan.reader").read_plan
    case = corpus[name]
    if case.via == "reader":
        sniff(case.path)                      # a sane workbook: only the reader can tell what is wrong
    assert_refused_as_expected(case, read_plan)


@pytest.mark.parametrize("name", ["legacy .xls", "bomb by total size", "billion laughs", "a missing path"])
def test_the_command_line_answers_with_one_line_and_exit_code_2(corpus, name):
    from generator.cli import main

    case = corpus[name]
    result = CliRunner().invoke(main, ["validate", str(case.path)])
    assert result.exit_code == errors.EXIT_UNUSABLE_FILE
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert str(case.path) in result.stderr and case.message in result.stderr


@pytest.mark.parametrize("name", list(RECIPES))
def test_validate_json_on_a_refused_file_prints_the_refusal_as_data(corpus, name):
    import json

    from generator.cli import main

    case = corpus[name]
    result = CliRunner().invoke(main, ["validate", "--json", str(case.path)])
    assert result.exit_code == errors.EXIT_UNUSABLE_FILE
    report = json.loads(result.stdout)
    assert list(report) == ["plan", "refused", "figures", "findings"]
    assert report["plan"] == {"file": str(case.path)}
    assert report["figures"] is None and report["findings"] == []
    assert list(report["refused"]) == ["code", "message", "hint"]
    assert report["refused"]["code"] == case.code
    assert case.message in f"{report['refused']['message']}; {report['refused']['hint']}"


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


# What must pass ---------------------------------------------------------------------------------

def test_a_workbook_written_by_openpyxl_passes(tmp_path):
    path = tmp_path / "plain.xlsx"
    path.write_bytes(valid_xlsx_bytes())
    assert sniff(path) is None


def test_the_template_and_a_filled_plan_pass(tmp_path):
    assert sniff(write_template(tmp_path / "blank.xlsx")) is None
    assert sniff(write_plan(harbor_data(), tmp_path / "harbor.xlsx")) is None


def test_what_real_workbooks_carry_passes(tmp_path):
    """An image, an XML declaration with a comment, a UTF-8 byte-order mark, a $-anchored dimension."""
    parts = parts_of(valid_xlsx_bytes())
    parts["xl/media/image1.png"] = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    parts["xl/styles.xml"] = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!-- styles -->' \
                             + parts["xl/styles.xml"]
    parts["xl/workbook.xml"] = b"\xef\xbb\xbf" + parts["xl/workbook.xml"]
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b'ref="A1:B1"',
                                                                                    b'ref="A1:$AB$99999"')
    path = tmp_path / "real.xlsx"
    write_zip(path, parts)
    assert sniff(path) is None
    assert openpyxl.load_workbook(path)["Plan"]["B1"].value == 42


def test_the_sheet_limit_is_inclusive(tmp_path):
    wb = openpyxl.Workbook()
    for i in range(MAX_SHEETS - 1):
        wb.create_sheet(f"S{i}")
    wb.save(tmp_path / "limit.xlsx")
    assert len(wb.sheetnames) == MAX_SHEETS
    assert sniff(tmp_path / "limit.xlsx") is None


@needs_libreoffice
@pytest.mark.parametrize("extension, message", [("xls", "legacy Excel 97-2003 workbook (.xls)"),
                                                ("ods", "OpenDocument spreadsheet (.ods)")])
def test_a_plan_saved_by_libreoffice_as_xls_or_ods_is_refused_as_the_wrong_format(tmp_path, soffice, extension,
                                                                                   message):
    source = write_plan(harbor_data(), tmp_path / "harbor.xlsx")
    converted, = soffice(source, extension, tmp_path / "out")
    with pytest.raises(errors.WrongFormatError, match=re.escape(message)):
        sniff(converted)


@pytest.mark.parametrize("name", [n for n in SNIFFED if RECIPES[n].file_name not in ("a-folder.xlsx", "missing.xlsx")])
def test_bytes_are_refused_exactly_as_the_file_is(corpus, name):
    case = corpus[name]
    with pytest.raises(errors.UnusableFileError) as from_bytes:
        sniff(case.path.read_bytes(), name="upload.xlsx")
    assert type(from_bytes.value).__name__ == case.error
    assert from_bytes.value.refusal.code == case.code
    assert from_bytes.value.file == "upload.xlsx"


def test_the_bytes_of_a_plan_pass(tmp_path):
    sniff(write_plan(harbor_data(), tmp_path / "p.xlsx").read_bytes(), name="p.xlsx")
