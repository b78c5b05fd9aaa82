"""Property-based: plans with random text, numbers, dates and blanks in every field and list never
crash validate or build, never produce a formula, and always give files that re-open."""
import datetime as dt
import re
import warnings
import zipfile

import openpyxl
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pptx import Presentation

from generator.plan import schema
from generator.pipeline import build, check
from generator.plan.template import write_filled

FORMULA_LIKE = ["=1+1", "+A1", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://example.com","x")', "=cmd|' /C calc'!A0"]
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80) | st.sampled_from(FORMULA_LIKE)
value = st.one_of(
    st.none(), text, st.integers(-10**9, 10**9), st.floats(-1e12, 1e12, allow_nan=False),
    st.dates(dt.date(1901, 1, 1), dt.date(2200, 12, 31)), st.booleans(),
    st.sampled_from(["Secured", "yes", "X", "40%", "$250k", "31 Mar 2027", "Trusted advisor", ""]),
)


@st.composite
def plans(draw):
    fields = {name: draw(value) for name in schema.FIELDS}
    lists = {}
    for spec in schema.LISTS.values():
        rows = draw(st.lists(st.fixed_dictionaries({c.header: value for c in spec.columns}), max_size=3))
        lists[spec.table] = rows
    return {"fields": fields, "lists": lists}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=plans())
def test_validate_and_build_never_crash_and_never_emit_a_formula(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    source = write_filled(data, folder / "plan.xlsx")
    assert check(source, dt.date(2026, 11, 25)).figures is not None
    result, written = build(source, folder / "out", dt.date(2026, 11, 25))
    deck, document, workbook = written
    Presentation(deck)
    Document(document)
    with warnings.catch_warnings():   # a random number in a date cell is one openpyxl warns about
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(workbook)
    formulas = [f"{ws.title}!{c.coordinate}" for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert formulas == []
    with zipfile.ZipFile(document) as archive:
        fields = re.findall(rb"<w:instrText[^>]*>([^<]*)<", archive.read("word/document.xml"))
        fields += re.findall(rb'w:instr="([^"]*)"', b"".join(archive.read(n) for n in archive.namelist()
                                                             if n.startswith("word/") and n.endswith(".xml")))
    assert all(f.strip().split()[0] in (b"TOC", b"PAGE", b"NUMPAGES") for f in fields if f.strip())
    sheets = set(result.plan.workbook.sheetnames)
    assert all(f.sheet in sheets and re.fullmatch(r"[A-Z]{1,3}\d+", f.cell) for f in result.findings if f.sheet)
