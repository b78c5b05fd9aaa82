"""`build --since`: what changed since an earlier version, in the deck, the document and the checked workbook,
all from the one diff the build computed; and the proposed row in the review log."""
import openpyxl
from docx.oxml.ns import qn
import pytest
from docx import Document
from pptx import Presentation
from test_diff import NEW_AS_OF, new_data, old_data
from outputs import slide_text
from workbooks import write_plan

from generator.diff import CHANGE_COLUMNS, PROPOSED_REVIEW, REVIEW_TYPE, change_rows, overview_rows, since_title
from generator.pipeline import build, view_of
from generator.render.checked import CHANGES_SHEET

ADDED = ("Fleet telematics pilot", "Nadia Pereira", "Budget freeze in Q1")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("since")
    old = write_plan(old_data(), folder / "harbor-nov-02.xlsx")
    new = write_plan(new_data(), folder / "harbor-nov-25.xlsx")
    result, paths = build(new, folder / "out", NEW_AS_OF, since=old)
    outputs = {p.suffix: p for p in paths}
    return old, result, outputs


@pytest.fixture(scope="module")
def diff(built):
    _, result, _ = built
    return view_of(result).changes


def test_the_diff_is_in_the_view(diff):
    assert diff is not None and not diff.empty
    assert [r.name for r in diff.lists["Opportunities"].added] == ["Workforce scheduling suite",
                                                                   "Fleet telematics pilot"]


def test_the_deck_slide_is_second_with_figures_and_names(built, diff):
    slides = Presentation(built[2][".pptx"]).slides
    text = slide_text(slides[1])
    assert since_title(diff) in text
    assert diff.summary_parts[0] in text
    for c in diff.figures:
        assert c.label in text and c.before_text in text and c.after_text in text
    for name in ADDED + ("Aisha Grant", "Customs integration (phase 2)"):
        assert name in text
    assert since_title(diff) not in slide_text(slides[0]) + slide_text(slides[2])


def test_the_document_section_carries_the_same_items(built, diff):
    doc = Document(built[2][".docx"])
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings.index(since_title(diff)) == 1             # after the executive summary
    rows = [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]
    for c in diff.figures:
        assert [c.label, c.before_text, c.after_text] in rows
    for row in overview_rows(diff):
        assert list(row) in rows


def test_the_changes_sheet_has_one_row_per_change(built, diff):
    wb = openpyxl.load_workbook(built[2][".xlsx"])
    ws = wb[CHANGES_SHEET]
    assert wb.sheetnames.index(CHANGES_SHEET) == wb.sheetnames.index("Review") + 1
    assert tuple(c.value for c in ws[2]) == CHANGE_COLUMNS
    rows = [tuple(v or "" for v in row) for row in ws.iter_rows(min_row=3, max_col=5, values_only=True)]
    assert rows == [tuple(r) for r in change_rows(diff)]
    assert any(r[1] == "Fleet telematics pilot" for r in rows)


def _proposed(path):
    wb = openpyxl.load_workbook(path)
    found = []
    for ws in wb.worksheets:
        if "Reviews" in ws.tables:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.comment is not None and PROPOSED_REVIEW in cell.comment.text:
                        found.append([c.value for c in row if c.value is not None])
    return wb, found


def test_the_review_log_gets_a_proposed_row(built, diff):
    _, found = _proposed(built[2][".xlsx"])
    assert len(found) == 1
    date, kind, what = found[0][:3]
    assert date.date() == NEW_AS_OF and kind == REVIEW_TYPE and what == diff.summary


def test_a_rebuild_proposes_once_and_replaces_the_changes_sheet(built, diff):
    old, _, outputs = built
    checked = outputs[".xlsx"]
    result, _ = build(checked, checked.parent, NEW_AS_OF, since=old)
    again = view_of(result).changes
    assert change_rows(again) == change_rows(diff)            # the proposal is not a change the rep made
    wb, found = _proposed(checked)
    assert len(found) == 1
    assert [name for name in wb.sheetnames if name.startswith(CHANGES_SHEET)] == [CHANGES_SHEET]


# The diff's words are the kit's ----------------------------------------------------------------------------

KIT_WORDS = '''name = "Words Co"
version = "1"
[wording.diff]
money_up = "{label} climbed {delta} to {after}"
verb_added = "new in"
since = "Moved since {date}"
header_item = "Row"
header_top_items = "First rows"
header_items = "Rows"
caption_figures = "Figures that moved"
summary_line = "In short: {summary}."
noun_Opportunities = "deal"
nouns_Opportunities = "deals"
'''


@pytest.fixture(scope="module")
def worded(tmp_path_factory):
    from generator.kit import KIT_FILE, load_kit

    folder = tmp_path_factory.mktemp("worded")
    (folder / "kit").mkdir()
    (folder / "kit" / KIT_FILE).write_text(KIT_WORDS, encoding="utf-8")
    kit = load_kit(folder / "kit")
    old = write_plan(old_data(), folder / "harbor-nov-02.xlsx")
    new = write_plan(new_data(), folder / "harbor-nov-25.xlsx")
    result, paths = build(new, folder / "out", NEW_AS_OF, since=old, kit=kit)
    return folder, kit, old, new, view_of(result, kit).changes, {p.suffix: p for p in paths}


def test_a_kits_words_for_the_diff_reach_the_document(worded):
    from docx import Document

    *_, outputs = worded
    document = Document(outputs[".docx"])
    texts = [p.text for p in document.paragraphs]
    assert "Moved since 2 Nov 2026" in texts
    assert any(t.startswith("In short: Secured climbed $650K to $1.6M; ") and t.endswith(".") for t in texts)
    headers = [[c.text for c in table.rows[0].cells] for table in document.tables]
    assert ["Area", "Change", "Rows"] in headers
    captions = [c.get(qn("w:val")) for c in document.element.body.iter(qn("w:tblCaption"))]
    assert "Figures that moved" in captions


def test_a_kits_words_for_the_diff_reach_the_slide_the_changes_sheet_and_the_memo(worded):
    from click.testing import CliRunner

    from generator.cli import main

    folder, kit, old, new, diff, outputs = worded
    assert diff.summary.startswith("Secured climbed $650K to $1.6M; ")
    assert "2 deals new in, 2 removed, 3 changed" in diff.summary
    slide = Presentation(outputs[".pptx"]).slides[1]
    text = slide_text(slide)
    assert "Moved since 2 Nov 2026" in text and "Secured climbed $650K to $1.6M" in text
    assert "First rows" in text and "2 new in" in text and "Deals" in text
    ws = openpyxl.load_workbook(outputs[".xlsx"])[CHANGES_SHEET]
    assert ws["A1"].value.startswith("Moved since 2 Nov 2026: Secured climbed $650K")
    assert tuple(c.value for c in ws[2]) == ("Area", "Row", "Column", "Before", "After")
    rows = [tuple(v or "" for v in row) for row in ws.iter_rows(min_row=3, max_col=5, values_only=True)]
    assert ("Deals", "Fleet telematics pilot", "new in", "", "Fleet telematics pilot") in rows
    memo = CliRunner().invoke(main, ["diff", str(old), str(new), "--as-of", NEW_AS_OF.isoformat(),
                                     "--kit", str(folder / "kit")])
    assert memo.exit_code == 0, memo.output
    assert "Secured climbed $650K to $1.6M; " in memo.stdout
    assert "Deals\n  new in   Workforce scheduling suite\n" in memo.stdout


def test_the_built_in_words_are_the_english_ones(diff):
    from generator.wording import DIFF

    assert since_title(diff).startswith("What changed since ") and diff.words == DIFF
    assert CHANGE_COLUMNS == ("Area", "Item", "Column", "Before", "After")


def test_a_kit_word_with_a_blank_the_diff_does_not_offer_is_refused(tmp_path):
    from generator.kit import KIT_FILE, check_kit

    (tmp_path / KIT_FILE).write_text('name = "X"\nversion = "1"\n[wording.diff]\nmoney_up = "{label} {owner}"\n',
                                     encoding="utf-8")
    problems = [str(p) for p in check_kit(tmp_path)]
    assert len(problems) == 1 and "{owner} is not a blank of 'money_up'" in problems[0]
