"""The plan document's pages: which parts go landscape, and that a part's heading stays with its tables.

Read back from the written file: each section's orientation (its `w:sectPr`) and the Heading 1s and tables that
fall in it, in the order a reader turns the pages.
"""
from __future__ import annotations

from conftest import AS_OF, harbor_data
from docx.oxml.ns import qn
from outputs import written_document

from generator.pipeline import assess
from generator.render import document
from generator.render.docx_parts import Col, Fit

LINK = "https://wiki.harborline.example/terminals/consolidation/phase1/business_case"  # no place to break it
PORTRAIT_REST = ["The five components", "Competition", "Whitespace", "Pressure test", "Risks", "Action plan",
                 "Account team", "Relationship health", "Review log", "Appendix: Plan health"]


def sections(doc) -> list[tuple[bool, list[str]]]:
    """Each section of the body in order: landscape or not, and what starts in it (Heading 1 texts, and tables
    as `table:<caption>`)."""
    found, current = [], []
    for element in doc.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            current.append("table:" + element.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}").get(qn("w:val")))
            continue
        properties = element if element.tag == qn("w:sectPr") else element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if style(element) == "Heading1":
            current.append(text(element))
        if properties is not None:
            size = properties.find(qn("w:pgSz"))
            found.append((int(size.get(qn("w:w"))) > int(size.get(qn("w:h"))), current))
            current = []
    return found


def text(element) -> str:
    return "".join(t.text for t in element.iter(qn("w:t")))


def style(element) -> str | None:
    """A paragraph's style id (None: Normal, or not a paragraph)."""
    found = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") if element.tag == qn("w:p") else None
    return found.get(qn("w:val")) if found is not None else None


def headings_only(found: list[tuple[bool, list[str]]]) -> list[tuple[bool, list[str]]]:
    return [(wide, [item for item in items if not item.startswith("table:")]) for wide, items in found]


def test_landscape_parts_share_pages_and_a_short_part_between_them_goes_along(harbor, tmp_path):
    """Harbor: the path (opportunities with their next steps) and the relationship map (five stages) need
    landscape; the objective between them is a few lines, so it does not make a portrait page of its own: two
    changes of orientation, not four."""
    found = headings_only(sections(written_document(harbor, tmp_path)))
    assert found == [(False, ["Executive summary", "Customer overview and agenda"]),
                     (True, ["Path to the number", "The objective", "Relationship map"]),
                     (False, PORTRAIT_REST)]


def test_a_long_part_between_landscape_parts_keeps_its_portrait_pages(make_plan, tmp_path):
    data = harbor_data()
    data["fields"]["objective_description"] = "\n".join(["The consolidation in the rep's own long words. " * 12] * 6)
    found = headings_only(sections(written_document(assess(make_plan(data), AS_OF), tmp_path)))
    assert found == [(False, ["Executive summary", "Customer overview and agenda"]),
                     (True, ["Path to the number"]), (False, ["The objective"]), (True, ["Relationship map"]),
                     (False, PORTRAIT_REST)]


def test_a_part_that_turns_landscape_takes_its_heading_and_intro_along(make_plan, tmp_path):
    """The agenda goes on under the overview's heading: when its table needs landscape, the whole part starts on
    the landscape page (never its heading and overview left on a portrait page before it)."""
    data = harbor_data()
    for row in data["lists"]["CustomerPriorities"]:
        row["Priority"], row["Detail"], row["How we help"] = f"{row['Priority']} {LINK}", LINK, LINK
    result = assess(make_plan(data), AS_OF)
    found = sections(written_document(result, tmp_path, "a.docx"))
    written_document(result, tmp_path, "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    assert found[:2] == [
        (False, ["table:Cover", "Executive summary"]),
        (True, ["Customer overview and agenda", "table:CustomerPriorities", "Path to the number", "table:Figures",
                "table:Opportunities", "The objective", "table:Objective", "Relationship map",
                "table:Stakeholders", "table:Stakeholder drivers"])]


def test_a_parts_heading_and_intro_stay_on_the_page_of_its_first_table(harbor, tmp_path):
    """Every paragraph from a part's Heading 1 down to its first table keeps with the next (the overview's two
    short texts included), so a heading never waits at the foot of a page for its table."""
    doc = written_document(harbor, tmp_path)
    body = list(doc.element.body.iterchildren())
    for heading, caption in (("Customer overview and agenda", "CustomerPriorities"),
                             ("Path to the number", "Figures"), ("The objective", "Objective")):
        start = next(i for i, e in enumerate(body) if text(e) == heading and style(e) == "Heading1")
        end = next(i for i, e in enumerate(body) if e.tag == qn("w:tbl")
                   and e.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}").get(qn("w:val")) == caption)
        lead = body[start:end]
        assert lead and all(e.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for e in lead), heading


def part(wide: bool = False, lines: float = 5.0, share: float = 1.0) -> document._Part:
    """A written part whose one table is (or not) cramped on a portrait page."""
    table = document._Held(None, "t", [Col("a")], [["x"]], share, Fit((100.0,), cramped=wide))
    return document._Part(None, [table], lines)


def orientations(parts: list[document._Part]) -> list[bool]:
    """What `document.orientations` gives each part, in order (each part once, none lost)."""
    given = list(document.orientations(parts))
    assert [part for part, _ in given] == parts
    return [landscape for _, landscape in given]


def test_orientations_follow_the_wide_tables_and_keep_changes_few():
    long = document.SHORT_LINES + 1
    assert orientations([part(), part(True), part(), part(True), part(lines=long)]) == \
        [False, True, True, True, False]
    assert orientations([part(), part(True), part(lines=long), part(True)]) == [False, True, False, True]
    assert orientations([part(True), part(), part(), part(True)]) == [True] * 4    # a short run of two
    assert orientations([part(True), part(), part(), part(lines=long)]) == [True, False, False, False]
    assert orientations([part(), part(True), part()]) == [False, True, True]        # a short ending
    assert orientations([part(), part(True)]) == [False, True]                      # the start stays


def test_a_part_is_laid_out_as_soon_as_its_orientation_is_known():
    """Parts are written one at a time and only a short run after a landscape part waits for what follows (the
    tables of a long part are not held to the end of the document)."""
    pulled = []

    def written(parts):
        for number, each in enumerate(parts):
            pulled.append(number)
            yield each
    parts = [part(), part(lines=document.SHORT_LINES + 1), part(True), part(), part(True)]
    given = document.orientations(written(parts))
    assert [(next(given)[1], list(pulled)) for _ in range(2)] == [(False, [0]), (False, [0, 1])]
    assert next(given)[1] and pulled == [0, 1, 2]
    assert next(given)[1] and pulled == [0, 1, 2, 3, 4]   # the short one waited for the next


def test_a_narrow_table_never_asks_for_a_landscape_page():
    """A table drawn narrower than the page on purpose (the figures, the completeness) keeps its part portrait
    even if its text is squeezed at that width."""
    assert not part(wide=True, share=0.6).wide
    assert part(wide=True).wide
    assert orientations([part(), part(wide=True, share=0.6), part()]) == [False] * 3
