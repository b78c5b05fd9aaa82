"""Kits: a company's folder (kit.toml, a logo, deck.pptx, document.docx) loaded, checked line by line, and
taken by every command with --kit DIR or ACCOUNTPLAN_KIT."""
from __future__ import annotations

import dataclasses
import inspect
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import KitError
from generator.kit import KIT_FILE, check_kit, default_kit, load_kit
from generator.kit.starter import starter_kit
from generator.plan import schema
from generator.plan.schema import DEFAULT_DEFINITION

ROOT = Path(__file__).resolve().parent.parent
NORTHWIND = ROOT / "kits" / "northwind"
HARBOR = ROOT / "samples" / "harbor-line-logistics.xlsx"

NORTHWIND_QUESTIONS = (
    "Have we mapped the customer's procurement process?",
    "Does a named executive sponsor at the customer back this plan?",
    "Do we know the budget line this comes from, and who owns it?",
    "Have we agreed the partner's role with the partner?",
    "Could we deliver everything in the plan by the dates we promise?",
)


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env or {"ACCOUNTPLAN_KIT": ""})


def copy_of_northwind(tmp_path: Path) -> Path:
    folder = tmp_path / "kit"
    shutil.copytree(NORTHWIND, folder)
    return folder


# kit init and kit check -----------------------------------------------------------------------------------

def test_kit_init_writes_a_starter_kit_that_checks_clean(tmp_path):
    folder = tmp_path / "acme-sales"
    made = run("kit", "init", str(folder))
    assert made.exit_code == 0, made.output
    assert made.output.strip() == f"wrote {folder / KIT_FILE}"
    checked = run("kit", "check", str(folder))
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[0] == "kit OK: acme sales 1.0"
    kit = load_kit(folder)
    assert kit.name == "acme sales" and kit.version == "1.0" and kit.currency == "USD"
    assert kit.definition.lists["PressureTest"].prefill == DEFAULT_DEFINITION.lists["PressureTest"].prefill
    assert (kit.brand.primary, kit.brand.accent, kit.brand.font) == (default_kit().brand.primary,
                                                                    default_kit().brand.accent, default_kit().brand.font)


def test_kit_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "notes.txt").write_text("mine")
    refused = run("kit", "init", str(tmp_path / "kit"))
    assert refused.exit_code == 3 and "is not empty" in refused.output
    assert (tmp_path / "kit" / "notes.txt").read_text() == "mine" and not (tmp_path / "kit" / KIT_FILE).exists()
    (tmp_path / "empty").mkdir()
    assert run("kit", "init", str(tmp_path / "empty")).exit_code == 0


def test_every_commented_example_of_the_starter_kit_is_valid_once_uncommented(tmp_path):
    text = starter_kit("Acme")
    example = re.compile(r"# (\[|[a-z_]+ = |\s+\{)")
    lines = [line[2:] if example.match(line) else line for line in text.splitlines()]
    (tmp_path / KIT_FILE).write_text("\n".join(lines), encoding="utf-8")
    shutil.copy(NORTHWIND / "logo.png", tmp_path / "logo.png")
    assert check_kit(tmp_path) == []
    kit = load_kit(tmp_path)
    assert kit.definition.fields["territory"].choices == ("North", "South", "West")
    assert [s.name for s in kit.definition.sections][-1] == "Partner plan"
    assert kit.wording.figures["secured"] == "Booked" and kit.definition.fields["account_owner"].label == "Client partner"
    assert kit.logo == (tmp_path / "logo.png").resolve()


def test_kit_check_of_the_example_kit_is_clean():
    checked = run("kit", "check", str(NORTHWIND))
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[0] == "kit OK: Northwind Sales 2027.1"
    assert run("kit", "check", str(NORTHWIND / KIT_FILE)).exit_code == 0     # kit.toml itself will do too


# Each kind of mistake, refused at its line ------------------------------------------------------------------

# (what, text replaced in the example kit's kit.toml, its replacement, the line it marks, what is said)
MISTAKES = [
    ("unknown key", 'font = "Arial"', 'font = "Arial"\ncolour = "red"', 'colour = "red"',
     "unknown key 'colour' in [brand]"),
    ("unknown top-level key", 'currency = "EUR"', 'currency = "EUR"\ncolor_scheme = "blue"', "color_scheme",
     "unknown key 'color_scheme' in kit.toml"),
    ("bad kind", 'name = "partner_program"', 'name = "partner_program"\nkind = "number"', 'kind = "number"',
     'there is no kind "number"'),
    ("unknown section", 'section = "Account"\nhelp = "The partner', 'section = "Acount"\nhelp = "The partner',
     'section = "Acount"', "no section is called 'Acount'; did you mean 'Account'?"),
    ("clash with a built-in field", 'name = "partner_program"', 'name = "account_owner"', 'name = "account_owner"',
     "'account_owner' is a built-in field"),
    ("clash in other capitals", 'name = "partner_program"', 'name = "Account_Owner"', 'name = "Account_Owner"',
     "'Account_Owner' is 'account_owner', a built-in field, in other capitals"),
    ("clash with a built-in table", 'table = "Partners"', 'table = "Opportunities"', 'table = "Opportunities"',
     "'Opportunities' is a built-in table"),
    ("clash with a built-in section", 'name = "Partner plan"', 'name = "Competition"', 'name = "Competition"',
     "'Competition' is a built-in section"),
    ("clash with a built-in sheet", 'sheet = "Partners"', 'sheet = "Account"', 'sheet = "Account"',
     "'Account' is the sheet of the built-in section 'Account'"),
    ("clash with the template's own name", 'name = "partner_program"', 'name = "template_version"',
     'name = "template_version"', "'template_version' is a built-in name of the template"),
    ("bad colour", 'accent = "#E69138"', 'accent = "orange"', 'accent = "orange"',
     'accent = "orange" is not a colour'),
    ("choice without choices", 'name = "partner_program"', 'name = "partner_program"\nkind = "choice"   # none',
     'kind = "choice"   # none', "the field 'partner_program' is a choice without choices"),
    ("first column not required", '{ header = "Partner", kind = "text", required = true }',
     '{ header = "Partner", kind = "text" }', '{ header = "Partner"',
     "the first column of 'Partners' must be required"),
    ("defined name Excel refuses", 'name = "territory"', 'name = "sales territory"', 'name = "sales territory"',
     "'sales territory' cannot be a field name"),
    ("name Excel reads as a cell", 'name = "territory"', 'name = "FY2027"', 'name = "FY2027"',
     "Excel reads it as a cell reference"),
    ("version as a number", 'version = "2027.1"', "version = 2027.1", "version = 2027.1",
     'write the version in quotes: version = "2027.1"'),
    ("unknown wording", 'secured = "Booked"', 'booked = "Booked"', 'booked = "Booked"',
     "unknown key 'booked' in [wording.figures] (known: as_of, position,"),
    ("a blank the sentence does not have", 'secured = "Booked"', 'secured = "Booked by {owner}"',
     'secured = "Booked by', "{owner} is not a blank of 'secured'"),
    ("TOML syntax", 'label = "Territory"', 'label = Territory', "label = Territory", "not valid TOML"),
]


@pytest.mark.parametrize("what, old, new, marker, said", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_kit_with_a_mistake_is_refused_at_its_line(tmp_path, what, old, new, said, marker):
    folder = copy_of_northwind(tmp_path)
    path = folder / KIT_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, content in enumerate(text.splitlines(), start=1) if marker in content)

    checked = run("kit", "check", str(folder))
    assert checked.exit_code == 2, checked.output
    first = checked.output.splitlines()[0]
    assert first.startswith(f"{path}:{line}: ") and said in first, first

    with pytest.raises(KitError) as refused:
        load_kit(folder)
    assert refused.value.code == "bad-kit" and refused.value.exit_code == 2
    assert refused.value.one_line().startswith(f"{path}:{line}: ")


@pytest.mark.parametrize("name, content, said", [
    ("deck.pptx", b"just some text", "deck.pptx: is not a PowerPoint presentation"),
    ("deck.pptx", "workbook", "deck.pptx: is not a PowerPoint presentation but an Excel workbook"),
    ("document.docx", b"PK\x03\x04 not really a zip", "document.docx: is not a Word document"),
    ("document.docx", "presentation", "document.docx: is not a Word document"),
])
def test_a_deck_or_document_that_is_not_one_is_refused(tmp_path, name, content, said):
    folder = copy_of_northwind(tmp_path)
    if content == "workbook":
        shutil.copy(HARBOR, folder / name)
    elif content == "presentation":
        import pptx

        pptx.Presentation().save(folder / name)
    else:
        (folder / name).write_bytes(content)
    checked = run("kit", "check", str(folder))
    assert checked.exit_code == 2
    lines = checked.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{folder}/{said}"), lines
    with pytest.raises(KitError):
        load_kit(folder)


def test_a_real_deck_and_document_are_taken(tmp_path):
    import docx
    import pptx

    folder = copy_of_northwind(tmp_path)
    pptx.Presentation().save(folder / "deck.pptx")
    docx.Document().save(folder / "document.docx")
    kit = load_kit(folder)
    assert kit.deck_template == (folder / "deck.pptx").resolve()
    assert kit.document_template == (folder / "document.docx").resolve()
    assert load_kit(NORTHWIND).deck_template == (NORTHWIND / "deck.pptx").resolve()    # the example kit's own
    assert load_kit(NORTHWIND).document_template == (NORTHWIND / "document.docx").resolve()


def test_a_template_that_fetches_a_file_from_outside_is_refused_and_a_hyperlink_is_not(tmp_path):
    """A remote template (or a linked picture) in a kit's document.docx or deck.pptx would be fetched by
    Office on opening every plan made from it: `kit check` names it; a plain hyperlink, clicked or not, stays."""
    import docx
    import pptx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    folder = copy_of_northwind(tmp_path)
    document = docx.Document()
    document.sections[0].header.part.rels.get_or_add_ext_rel(RT.HYPERLINK, "https://northwind.example/")
    document.save(folder / "document.docx")
    assert check_kit(folder) == []
    document.part._settings_part.rels.get_or_add_ext_rel(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate",
        "http://files.example/template.dotm")
    document.save(folder / "document.docx")
    presentation = pptx.Presentation()
    presentation.slide_master.part.rels.get_or_add_ext_rel(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image", "http://files.example/logo.png")
    presentation.save(folder / "deck.pptx")
    lines = [str(problem) for problem in check_kit(folder)]
    assert any(line.endswith("document.docx: links to a file outside it (attachedTemplate: "
                             "http://files.example/template.dotm) that Office would fetch on opening every output "
                             "made from it; remove the link") for line in lines), lines
    assert any("deck.pptx: links to a file outside it (image: http://files.example/logo.png)" in line
               for line in lines), lines
    result = CliRunner().invoke(main, ["kit", "check", str(folder)])
    assert result.exit_code == 2 and "attachedTemplate" in result.output


@pytest.mark.parametrize("content", [b"not an image at all", b"%PDF-1.7 ...", b""])
def test_a_logo_that_is_not_an_image_is_refused_at_its_line(tmp_path, content):
    folder = copy_of_northwind(tmp_path)
    (folder / "logo.png").write_bytes(content)
    line = next(n for n, text in enumerate((folder / KIT_FILE).read_text().splitlines(), start=1)
                if text.startswith("logo ="))
    checked = run("kit", "check", str(folder))
    assert checked.exit_code == 2
    assert checked.output.splitlines() == [f"{folder / KIT_FILE}:{line}: logo 'logo.png' is not an image: "
                                           "give a PNG, JPEG or GIF file"]


def test_every_problem_is_listed_in_line_order(tmp_path):
    folder = copy_of_northwind(tmp_path)
    path = folder / KIT_FILE
    text = path.read_text().replace('accent = "#E69138"', 'accent = "blue"').replace('kind = "money"', 'kind = "cash"')
    path.write_text(text + '\n[[fields]]\nname = "region"\nlabel = "Region"\nsection = "Account"\n')
    problems = check_kit(folder)
    assert [p.line for p in problems] == sorted(p.line for p in problems) and len(problems) == 3
    assert "not a colour" in problems[0].message and "no kind" in problems[1].message
    assert "'region' is a built-in field" in problems[2].message
    with pytest.raises(KitError) as refused:
        load_kit(folder)
    assert "2 more problems" in refused.value.one_line()


def test_a_folder_without_a_kit_is_said_plainly(tmp_path):
    assert str(check_kit(tmp_path / "nowhere")[0]) == f"{tmp_path / 'nowhere'}: no such kit folder"
    assert "has no kit.toml" in str(check_kit(tmp_path)[0])
    assert run("kit", "check", str(tmp_path)).exit_code == 2


# The example kit -----------------------------------------------------------------------------------------

def test_the_example_kit_extends_the_built_in_definition():
    kit = load_kit(NORTHWIND)
    d = kit.definition
    assert kit.name == "Northwind Sales" and kit.version == "2027.1" and kit.currency == "EUR"
    assert kit.folder == NORTHWIND.resolve()
    # the built-in sections first, unchanged in name, sheet and order; the kit's own after them
    assert [s.name for s in d.sections] == [s.name for s in DEFAULT_DEFINITION.sections] + ["Partner plan"]
    assert [s.sheet for s in d.sections][:-1] == [s.sheet for s in DEFAULT_DEFINITION.sections]
    # its fields, at the end of their section
    account = d.section("Account")
    assert [f.name for f in account.fields] == [f.name for f in DEFAULT_DEFINITION.section("Account").fields] + [
        "territory", "partner_program"]
    territory = d.fields["territory"]
    assert (territory.label, territory.kind, territory.required, territory.choices) == (
        "Territory", schema.CHOICE, True, ("Great Lakes", "Gulf Coast", "Pacific"))
    assert d.fields["partner_program"].kind == schema.TEXT and not d.fields["partner_program"].required
    assert d.section_of("territory").name == "Account"
    # its section and list
    partners = d.section("Partner plan")
    assert partners.sheet == "Partners" and partners.purpose == "Which partners help us win, and what each brings."
    spec = d.lists["Partners"]
    assert [(c.header, c.attr, c.kind, c.required, c.choices) for c in spec.columns] == [
        ("Partner", "partner", schema.TEXT, True, ()),
        ("Role", "role", schema.CHOICE, False, ("Reseller", "Integrator", "Referral")),
        ("Value influenced", "value_influenced", schema.MONEY, False, ())]
    assert spec.row_type.isidentifier() and spec.table == "Partners"
    # its questions replace the built-in ones; the list is otherwise the contract's
    questions = d.lists["PressureTest"]
    assert questions.prefill == tuple((q,) for q in NORTHWIND_QUESTIONS)
    assert questions.columns == DEFAULT_DEFINITION.lists["PressureTest"].columns
    # the definition's meanings are the built-in ones
    for item in dataclasses.fields(DEFAULT_DEFINITION):
        if item.name != "sections":
            assert getattr(d, item.name) == getattr(DEFAULT_DEFINITION, item.name), item.name
    # the brand, over the defaults; wording and labels
    brand = kit.brand
    assert (brand.primary, brand.accent, brand.font, brand.heading_font) == ("0B5394", "E69138", "Arial", "Arial")
    assert brand.secured == "0B5394" and brand.forecast == "E69138"          # the chart follows the scheme
    assert brand.gap == default_kit().brand.gap and brand.name == "Northwind Sales"
    assert kit.logo == (NORTHWIND / "logo.png").resolve()
    assert kit.logo.read_bytes().startswith(b"\x89PNG") and kit.logo.stat().st_size < 20_000
    assert kit.wording.figures["secured"] == "Booked" and kit.wording.figures["forecast"] == "Forecast"
    assert d.fields["account_owner"].label == "Client partner"
    assert d.fields["account_owner"].required and d.fields["account_owner"].kind == schema.TEXT


def test_colours_are_normalised_and_font_sets_the_headings_unless_given(tmp_path):
    (tmp_path / KIT_FILE).write_text('name = "A"\nversion = "1"\n[brand]\nprimary = "0b5394"\naccent = "#abc"\n'
                                     'font = "Georgia"\nheading_font = "Impact"\nsecured = "#102030"\n')
    brand = load_kit(tmp_path).brand
    assert (brand.primary, brand.accent, brand.font, brand.heading_font) == ("0B5394", "AABBCC", "Georgia", "Impact")
    assert brand.secured == "102030"           # given: kept; forecast follows the accent
    assert brand.forecast == "AABBCC"


# Kits side by side ---------------------------------------------------------------------------------------

def test_two_kits_loaded_in_one_process_are_independent(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / KIT_FILE).write_text(
        'name = "Other Co"\nversion = "3"\ncurrency = "GBP"\nquestions = ["Is the budget approved?"]\n'
        '[brand]\nprimary = "#123456"\n[wording.figures]\nsecured = "Won"\n'
        '[[fields]]\nname = "segment"\nlabel = "Segment"\nsection = "Objective"\n')
    northwind, second = load_kit(NORTHWIND), load_kit(other)
    assert "territory" in northwind.definition.fields and "territory" not in second.definition.fields
    assert "segment" in second.definition.fields and "segment" not in northwind.definition.fields
    assert "Partners" not in second.definition.lists
    assert second.definition.lists["PressureTest"].prefill == (("Is the budget approved?",),)
    assert northwind.definition.lists["PressureTest"].prefill == tuple((q,) for q in NORTHWIND_QUESTIONS)
    assert (northwind.brand.primary, second.brand.primary) == ("0B5394", "123456")
    assert (northwind.wording.figures["secured"], second.wording.figures["secured"]) == ("Booked", "Won")
    assert (northwind.currency, second.currency) == ("EUR", "GBP")
    # nothing leaked into the built-in kit or the contract
    builtin = default_kit()
    assert builtin.wording.figures["secured"] == "Secured" and builtin.brand.primary == "1F3864"
    assert "territory" not in DEFAULT_DEFINITION.fields and "segment" not in schema.FIELDS
    assert DEFAULT_DEFINITION.fields["account_owner"].label == "Account owner"
    assert [s.name for s in DEFAULT_DEFINITION.sections] == [s.name for s in schema.SECTIONS]
    # loading again gives an equal kit, not the same objects
    again = load_kit(NORTHWIND)
    assert again.definition.sections == northwind.definition.sections
    assert again.wording.figures is not northwind.wording.figures


# --kit and ACCOUNTPLAN_KIT reach the commands ----------------------------------------------------------------

KIT_ENV = {"ACCOUNTPLAN_KIT": str(NORTHWIND)}


def test_new_template_takes_the_kit_from_the_environment(tmp_path):
    made = run("new-template", "-o", str(tmp_path / "plan.xlsx"), env=KIT_ENV)
    assert made.exit_code == 0, made.output
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert "territory" in book.defined_names and "Partners" in book.sheetnames
    assert "Partners" in book["Partners"].tables
    plain = run("new-template", "-o", str(tmp_path / "plain.xlsx"))
    assert plain.exit_code == 0
    assert "territory" not in openpyxl.load_workbook(tmp_path / "plain.xlsx").defined_names


def test_validate_reads_the_plan_in_the_kit_of_the_environment(tmp_path):
    from generator.plan.reader import read_plan

    assert run("new-template", "-o", str(tmp_path / "plan.xlsx"), "--kit", str(NORTHWIND)).exit_code == 0
    checked = run("validate", str(tmp_path / "plan.xlsx"), "--json", "--as-of", "2026-11-25", env=KIT_ENV)
    assert checked.exit_code in (0, 1), checked.output
    report = json.loads(checked.output)
    sections = report["figures"]["completeness"]["sections"]
    if "definition" in inspect.signature(read_plan).parameters:          # the reader reads a kit's definition
        assert "Partner plan" in sections
        assert list(sections)[-1] == "Partner plan"
    assert list(sections)[:len(DEFAULT_DEFINITION.sections)] == [s.name for s in DEFAULT_DEFINITION.sections]


def test_the_kit_option_loads_the_kit_and_passes_it_on(tmp_path, monkeypatch):
    import generator.pipeline as pipeline

    seen = []
    real = pipeline.check

    def spy(source, as_of=None, strict=False, kit=None, name=""):
        seen.append(kit)
        return real(source, as_of, strict, kit, name)

    monkeypatch.setattr(pipeline, "check", spy)
    assert run("validate", str(HARBOR), "--as-of", "2026-11-25", env=KIT_ENV).exit_code in (0, 1)
    assert run("validate", str(HARBOR), "--as-of", "2026-11-25").exit_code == 0
    assert seen[0].name == "Northwind Sales" and seen[0].folder == NORTHWIND.resolve()
    assert seen[1] is None                                                  # the built-in kit


def test_a_bad_kit_in_the_environment_is_refused_and_the_option_wins_over_it(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / KIT_FILE).write_text('name = "Broken"\nversion = "1"\nprimary = "#000000"\n')
    env = {"ACCOUNTPLAN_KIT": str(broken)}
    refused = run("validate", str(HARBOR), env=env)
    assert refused.exit_code == 2
    assert refused.output.strip().startswith(f"{broken / KIT_FILE}:3: unknown key 'primary' in kit.toml")
    assert run("validate", str(HARBOR), "--kit", str(NORTHWIND), "--as-of", "2026-11-25", env=env).exit_code in (0, 1)


@pytest.mark.parametrize("command", ["validate", "build", "portfolio", "new-template", "serve", "diff", "actions"])
def test_every_command_that_works_on_plans_takes_a_kit(command):
    shown = run(command, "--help")
    assert shown.exit_code == 0
    assert "--kit DIR" in shown.output and "ACCOUNTPLAN_KIT" in shown.output


def test_a_bad_kit_stops_a_command_before_any_work(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / KIT_FILE).write_text('name = "Bad"\nversion = "1"\n[brand]\naccent = "orange"\n')
    out = tmp_path / "out"
    refused = run("build", str(HARBOR), "-o", str(out), "--kit", str(bad))
    assert refused.exit_code == 2
    assert refused.output.strip() == f'{bad / KIT_FILE}:4: accent = "orange" is not a colour: give six hex digits, ' \
                                     'like "#0B5394"'
    assert not out.exists()


def test_the_web_server_works_in_its_kit():
    from starlette.testclient import TestClient

    from generator.web.app import create_app
    from generator.web.config import Config

    with TestClient(create_app(Config(jobs=1, kit=load_kit(NORTHWIND))), raise_server_exceptions=False,
                    base_url="http://127.0.0.1") as client:
        response = client.get("/api/template")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "territory" in book.defined_names and "Partners" in book.sheetnames


def test_lines_are_found_through_every_form_of_toml():
    from generator.kit.lines import Lines

    text = ('# a comment\nname = "A" # another\n"version" = \'1\'\nbrand.primary = "#000000"\n'
            '[wording . figures]\nsecured = """two\nlines "quoted" """\nmarks.total = \'x\'\n'
            '[[sections]]\nname = "S"\n[[sections.lists]]\ntable = "T"\ncolumns = [\n  # a comment\n'
            '  { header = "A", required = true, choices = ["x", "y,]}"] },\n  { header = "B" },\n]\n'
            '[[sections]]\nname = "U"\n')
    lines = Lines(text)
    assert lines.line(("name",)) == 2 and lines.line(("version",)) == 3 and lines.line(("brand", "primary")) == 4
    assert lines.line(("wording", "figures", "secured")) == 6 and lines.line(("wording", "figures", "marks")) == 8
    assert lines.line(("sections", 0, "lists", 0, "columns", 0, "choices", 1)) == 15
    assert lines.line(("sections", 0, "lists", 0, "columns", 1, "header")) == 16
    assert lines.line(("sections", 1, "name")) == 19
    assert lines.line(("sections", 1, "purpose")) == 18           # not there: the table holding it
