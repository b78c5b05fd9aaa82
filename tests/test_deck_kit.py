"""A kit's deck.pptx and its own fields in the review deck: the template's masters, layouts (picked by name,
with fallbacks) and theme are used and none of its slides is kept; its theme colours and fonts are the brand
where kit.toml gives none; a kit's field of a built-in section is on that section's own slide."""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

import pytest
from conftest import AS_OF, harbor_data
from lxml import etree
from outputs import slide_text
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from generator import fmt
from generator.kit import check_kit, load_kit
from generator.pipeline import build
from generator.plan.template import write_filled
from generator.render.deck_parts import SLIDE_H, SLIDE_W

ROOT = Path(__file__).resolve().parent.parent
LOGO = ROOT / "kits" / "northwind" / "logo.png"

KIT = '''name = "Acme Sales"
version = "1.0"
{brand}
[[fields]]
name = "deal_desk"
label = "Deal desk contact"
section = "Customer agenda"

[[fields]]
name = "forecast_call"
label = "Forecast call"
section = "Path to the number"
kind = "choice"
choices = ["Commit", "Best case", "Upside"]

[[fields]]
name = "battlecard"
label = "Battlecard"
section = "Competition"

[[fields]]
name = "test_reviewer"
label = "Pressure-test reviewer"
section = "Pressure test"

[[fields]]
name = "risk_review_date"
label = "Risk review"
section = "Risks"
kind = "date"

[[fields]]
name = "team_channel"
label = "Team channel"
section = "Account team"

[[fields]]
name = "white_space_owner"
label = "Whitespace owner"
section = "Whitespace"

[[fields]]
name = "exec_theme"
label = "Executive theme"
section = "Five components"
'''

VALUES = {"deal_desk": "Rita Deal-Desk", "forecast_call": "Best case", "battlecard": "Card v7 on the wiki",
          "test_reviewer": "Omar Reviewer", "team_channel": "#acme-harbor", "white_space_owner": "Wendy Space",
          "exec_theme": "Consolidate to one platform"}
LABELS = {"deal_desk": "Deal desk contact", "forecast_call": "Forecast call", "battlecard": "Battlecard",
          "test_reviewer": "Pressure-test reviewer", "risk_review_date": "Risk review", "team_channel": "Team channel",
          "white_space_owner": "Whitespace owner"}
ON_THEIR_SLIDE = {"Customer agenda": "deal_desk", "Path to the number": "forecast_call",
                  "Competition": "battlecard", "Pressure test": "test_reviewer", "Risks": "risk_review_date",
                  "Account team and relationship health": "team_channel",
                  "Position and whitespace": "white_space_owner"}
"""The slide (by its topic) each field of a built-in section is on."""


def template(path: Path, size=(Inches(10), Inches(7.5)), names: dict[str, str] | None = None,
             cover_hides_master: bool = True) -> Path:
    """A company's deck.pptx: 4:3 unless told, a master with a named band and a logo, its own theme colours
    and fonts, layouts renamed by `names`, and two slides of its own (one with a chart and notes)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = size
    master = prs.slide_master
    for layout in prs.slide_layouts:
        layout.name = (names or {}).get(layout.name, layout.name)
    scratch = prs.slides.add_slide(prs.slide_layouts[6])
    band = scratch.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, size[0], Pt(8))
    band.name = "Acme master band"
    band.fill.solid()
    band.fill.fore_color.rgb = RGBColor.from_string("123456")
    logo = scratch.shapes.add_picture(str(LOGO), size[0] - Inches(1.2), Inches(0.05), Inches(1), Inches(0.27))
    logo.name = "Acme master logo"
    for shape in (band, logo):
        element = shape._element
        master._element.cSld.spTree.append(element)
        for blip in element.iter(qn("a:blip")):
            blip.set(qn("r:embed"), master.part.relate_to(scratch.part.related_part(blip.get(qn("r:embed"))),
                                                          RT.IMAGE))
    cover = next(layout for layout in prs.slide_layouts if layout.name == (names or {}).get("Title Slide",
                                                                                             "Title Slide"))
    if cover_hides_master:
        cover._element.set("showMasterSp", "0")     # the master's logo hidden: the deck places the kit's
    data = CategoryChartData()
    data.categories = ["a", "b"]
    data.add_series("Template series", (1, 2))
    scratch.shapes.add_chart(XL_CHART_TYPE.PIE, 0, 0, Inches(4), Inches(3), data)
    scratch.notes_slide.notes_text_frame.text = "Template speaker notes"
    prs.slides.add_slide(prs.slide_layouts[1]).shapes.title.text = "Template slide to drop"
    theme = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for tag, colour in (("accent1", "7A1F5C"), ("accent2", "2F8F83")):
        slot = root.find(f".//{qn('a:clrScheme')}/{qn('a:' + tag)}")
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, qn("a:srgbClr"), val=colour)
    for kind, font in (("a:majorFont", "Georgia"), ("a:minorFont", "Verdana")):
        root.find(f".//{qn(kind)}/{qn('a:latin')}").set("typeface", font)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    prs.save(str(path))
    return path


def make_kit(folder: Path, brand: str = "", **deck) -> Path:
    folder.mkdir()
    (folder / "kit.toml").write_text(KIT.format(brand=brand), encoding="utf-8")
    (folder / "logo.png").write_bytes(LOGO.read_bytes())
    template(folder / "deck.pptx", **deck)
    return folder


def written(kit_folder: Path, out: Path, data: dict | None = None) -> Path:
    kit = load_kit(kit_folder)
    data = data or harbor_data()
    data["fields"].update({k: v for k, v in VALUES.items()})
    data["fields"]["risk_review_date"] = AS_OF
    plan = write_filled(data, out / "plan.xlsx", kit)
    _, targets = build(plan, out / "built", AS_OF, kit=kit)
    return next(p for p in targets if p.suffix == ".pptx")


@pytest.fixture(scope="module")
def acme(tmp_path_factory) -> tuple[Path, Path]:
    """The Acme kit (a 4:3 template, no [brand]) and the deck built with it."""
    root = tmp_path_factory.mktemp("acme")
    folder = make_kit(root / "kit", names={"Title Only": "  TITLE only "})
    return folder, written(folder, root)


def _parts(path: Path) -> tuple[set[str], set[str]]:
    """The package's parts, and those reachable through relationships from the package's root."""
    with zipfile.ZipFile(path) as z:
        names = {n for n in z.namelist() if not n.endswith(".rels") and n != "[Content_Types].xml"}
        reached, todo = set(), ["_rels/.rels"]
        while todo:
            rels = todo.pop()
            if rels not in z.namelist():
                continue
            base = posixpath.dirname(posixpath.dirname(rels))
            for rel in etree.fromstring(z.read(rels)):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                name = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(base, target))
                if name not in reached:
                    reached.add(name)
                    todo.append(posixpath.join(posixpath.dirname(name), "_rels", posixpath.basename(name) + ".rels"))
    return names, reached


# A. The kit's deck.pptx ----------------------------------------------------------------------------

def test_the_deck_uses_the_templates_master_and_layouts_picked_by_name(acme):
    _, deck = acme
    prs = Presentation(str(deck))
    slides = list(prs.slides)
    assert slides[0].slide_layout.name == "Title Slide"                       # the cover
    assert {s.slide_layout.name for s in slides[1:]} == {"  TITLE only "}    # any capitals and spaces
    master_shapes = {s.name for s in prs.slide_master.shapes}
    assert {"Acme master band", "Acme master logo"} <= master_shapes
    for slide in slides:                     # our title alone: no empty placeholder of the layout
        assert [p.placeholder_format.idx for p in slide.placeholders] == [0]


def test_none_of_the_templates_slides_remain_and_no_part_is_orphaned(acme):
    _, deck = acme
    prs = Presentation(str(deck))
    text = "\n".join(slide_text(s) for s in prs.slides)
    assert "Template slide to drop" not in text
    names, reached = _parts(deck)
    assert names == reached, names ^ reached
    with zipfile.ZipFile(deck) as z:
        slides = [n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
        charts = [n for n in z.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    assert len(slides) == len(prs.slides)
    assert len(charts) == 1                              # the path to the number's; not the template's pie
    assert "Template series" not in xml and "Template speaker notes" not in xml


def test_a_template_of_another_size_is_fitted_to_the_16_9_slide(acme):
    _, deck = acme
    prs = Presentation(str(deck))
    assert (Emu(prs.slide_width).pt, Emu(prs.slide_height).pt) == (SLIDE_W, SLIDE_H)
    band, logo = (next(s for s in prs.slide_master.shapes if s.name == name)
                  for name in ("Acme master band", "Acme master logo"))
    assert band.width == pytest.approx(prs.slide_width, abs=2)                # full width, as in the template
    assert logo.width / logo.height == pytest.approx(1 / 0.27, rel=0.01)        # a picture keeps its shape
    assert logo.left + logo.width <= prs.slide_width


def test_a_layouts_placeholders_that_take_the_masters_place_are_fitted_once(acme):
    """A layout placeholder without a position of its own inherits the master's, already fitted: it stays
    inheriting, and so on the slide, rather than being scaled a second time."""
    _, deck = acme
    prs = Presentation(str(deck))
    inheriting = 0
    for master in prs.slide_masters:
        for holder in (master, *master.slide_layouts):
            for shape in holder.placeholders:
                inheriting += shape._element.xfrm is None
                assert shape.left + shape.width <= prs.slide_width, (holder.name, shape.name)
                assert shape.top + shape.height <= prs.slide_height, (holder.name, shape.name)
    assert inheriting > 0                  # the template has such placeholders: the case is exercised


def test_the_theme_is_the_brand_when_kit_toml_gives_none(acme):
    folder, deck = acme
    kit = load_kit(folder)
    assert (kit.brand.primary, kit.brand.accent, kit.brand.heading_font, kit.brand.font) == \
        ("7A1F5C", "2F8F83", "Georgia", "Verdana")
    assert kit.brand.secured == "7A1F5C" and kit.brand.forecast == "2F8F83"   # the chart follows
    prs = Presentation(str(deck))
    title = prs.slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    assert title.font.name == "Georgia" and str(title.font.color.rgb) == "7A1F5C"
    table = next(s for s in prs.slides[1].shapes if s.has_table)
    assert table.table.cell(1, 0).text_frame.paragraphs[0].runs[0].font.name == "Verdana"


def test_kit_toml_wins_over_the_theme_and_its_font_goes_into_the_theme(tmp_path):
    folder = make_kit(tmp_path / "kit", brand='[brand]\nprimary = "#0B5394"\nfont = "Arial"\n')
    kit = load_kit(folder)
    assert (kit.brand.primary, kit.brand.accent, kit.brand.font, kit.brand.heading_font) == \
        ("0B5394", "2F8F83", "Arial", "Arial")      # the accent, not given, is still the theme's
    deck = written(folder, tmp_path)
    with zipfile.ZipFile(deck) as z:
        theme = z.read("ppt/theme/theme1.xml").decode()
    assert '<a:latin typeface="Arial"/>' in theme and "Georgia" not in theme and "Verdana" not in theme


def test_layouts_missing_by_name_fall_back_to_one_with_a_title(tmp_path):
    folder = make_kit(tmp_path / "kit", size=(Inches(13.333), Inches(7.5)),
                      names={"Title Slide": "Acme Opener", "Title Only": "Acme Heading",
                             "Title and Content": "Acme Body"})
    prs = Presentation(str(written(folder, tmp_path)))
    # none of the names asked for: the layout with a title and the fewest other placeholders
    assert {s.slide_layout.name for s in prs.slides} == {"Acme Heading"}
    assert all(s.shapes.title is not None and s.shapes.title.text for s in prs.slides)


@pytest.mark.parametrize("hides_master, logos", [(True, ["Logo"]), (False, [])])
def test_the_cover_shows_a_logo_once(tmp_path, hides_master, logos):
    """The kit's logo on the cover unless the cover's layout shows the template's own (the master's here)."""
    folder = make_kit(tmp_path / "kit", brand='[brand]\nlogo = "logo.png"\n', cover_hides_master=hides_master)
    cover = Presentation(str(written(folder, tmp_path))).slides[0]
    assert [s.name for s in cover.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE] == logos


def test_the_same_bytes_twice(acme, tmp_path):
    folder, deck = acme
    again = written(folder, tmp_path)
    assert again.read_bytes() == deck.read_bytes()


def test_a_portrait_template_is_refused_by_kit_check(tmp_path):
    folder = make_kit(tmp_path / "kit", size=(Inches(7.5), Inches(10)))
    problems = [str(p) for p in check_kit(folder)]
    assert any("deck.pptx" in p and "portrait" in p for p in problems), problems


def test_a_template_python_pptx_cannot_open_is_refused_by_kit_check(tmp_path):
    folder = make_kit(tmp_path / "kit")
    with zipfile.ZipFile(folder / "deck.pptx") as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["ppt/presentation.xml"] = b"<not-xml"
    with zipfile.ZipFile(folder / "deck.pptx", "w") as z:
        for name, blob in parts.items():
            z.writestr(name, blob)
    problems = [str(p) for p in check_kit(folder)]
    assert any("deck.pptx" in p and "cannot be opened" in p for p in problems), problems


# B. A kit's fields of built-in sections on their own section's slide --------------------------------

def _slide_of(prs, topic: str):
    return next(s for s in prs.slides if any(sh.name == "Topic" and sh.text_frame.text == topic
                                             for sh in s.shapes))


def test_each_kit_field_is_on_its_sections_slide(acme):
    _, deck = acme
    prs = Presentation(str(deck))
    for topic, name in ON_THEIR_SLIDE.items():
        slide = _slide_of(prs, topic)
        field, = [s for s in slide.shapes if s.name == f"Field {name}"]
        assert field.text_frame.text == f"{LABELS[name]}\n{VALUES.get(name) or fmt.date(AS_OF)}", topic
    more = _slide_of(prs, "More from the plan")
    text = slide_text(more)
    assert "Executive theme" in text and "Consolidate to one platform" in text   # Five components: no slide
    for name, value in VALUES.items():
        if name != "exec_theme":
            assert value not in text, name


def test_the_fields_strip_overlaps_nothing(acme):
    _, deck = acme
    prs = Presentation(str(deck))
    checked = 0
    for slide in prs.slides:
        strips = [s for s in slide.shapes if s.name.startswith("Field ")]
        others = [s for s in slide.shapes if not s.name.startswith("Field ")]
        for strip in strips:
            checked += 1
            assert strip.top + strip.height <= Pt(496) + 1 and strip.left + strip.width <= prs.slide_width
            for other in others:
                apart = (strip.left + strip.width <= other.left or other.left + other.width <= strip.left
                         or strip.top + strip.height <= other.top or other.top + other.height <= strip.top)
                assert apart, (slide.shapes.title.text, strip.name, other.name)
    assert checked == len(ON_THEIR_SLIDE)


def test_a_list_over_several_slides_has_the_fields_on_the_first_only(tmp_path):
    folder = tmp_path / "kit"
    folder.mkdir()
    (folder / "kit.toml").write_text(KIT.format(brand=""), encoding="utf-8")   # no deck.pptx: the built-in look
    data = harbor_data()
    data["lists"]["Competitors"] = [{"Competitor": f"Rival {i}", "Strengths": "Price and reach " * 4,
                                     "Weaknesses": "Service", "Our response": "Show the total cost"}
                                    for i in range(30)]
    prs = Presentation(str(written(folder, tmp_path, data)))
    pages = [s for s in prs.slides if any(sh.name == "Topic" and sh.text_frame.text.startswith("Competition")
                                          for sh in s.shapes)]
    assert len(pages) > 1
    assert [bool([sh for sh in s.shapes if sh.name == "Field battlecard"]) for s in pages] == \
        [True] + [False] * (len(pages) - 1)
