"""The schema against the contract page itself: every name, header, required mark and choice."""
import re
from pathlib import Path

import pytest

from generator.plan import model, schema

CONTRACT = Path(__file__).resolve().parent.parent.parent / "shared" / "plan-model.md"
# The contract's table of sections, fields and lists, committed so the checks run in a clean clone too.
COPY = Path(__file__).resolve().parent / "contract-sections.md"


def _without_parentheses(text: str) -> tuple[str, list[str]]:
    """The text with (...) removed, and what the parentheses held."""
    held = re.findall(r"\(([^()]*)\)", text)
    return re.sub(r"\s*\([^()]*\)", "", text), held


def _items(cell: str) -> list[tuple[str, bool, list[str]]]:
    """(name, required, choices) of each comma-separated item in a contract table cell."""
    items = []
    for part in re.split(r",\s*(?![^()]*\))", cell):
        part = part.strip()
        if not part or part == "—":
            continue
        name = re.match(r"\*{0,2}([^*(]+?)\*{0,2}(\s+R)?(\s*\(|$)", part)
        _, held = _without_parentheses(part)
        choices = [c.strip() for c in held[0].split(";")[0].split(" / ")] if held and " / " in held[0] else []
        items.append((name[1].strip(), bool(name[2]), choices))
    return items


def _sections_table(text: str) -> str:
    return text.split("## Sections, fields and lists")[1].split("## Computed figures")[0]


def contract_rows():
    table = _sections_table(COPY.read_text(encoding="utf-8"))
    rows = [line.split(" | ") for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    return [(r[0].strip("| "), r[1], r[2].rstrip(" |")) for r in rows[1:]]


def test_the_committed_copy_is_the_contracts_table():
    if not CONTRACT.exists():
        pytest.skip(f"the contract page is not beside the repository ({CONTRACT})")
    assert _sections_table(COPY.read_text(encoding="utf-8")) == _sections_table(CONTRACT.read_text(encoding="utf-8"))


def test_sections_in_the_contracts_order():
    assert [name for name, _, _ in contract_rows()] == [s.name for s in schema.SECTIONS]


def test_every_single_field_matches_the_contract():
    for name, fields_cell, _ in contract_rows():
        section = schema.SECTION_BY_NAME[name]
        expected = _items(fields_cell)
        assert [f.name for f in section.fields] == [n for n, _, _ in expected], name
        for field, (_, required, choices) in zip(section.fields, expected):
            assert field.required == required, field.name
            if choices and field.kind != schema.CURRENCY:
                assert list(field.choices) == choices, field.name


def test_every_list_matches_the_contract():
    for name, _, lists_cell in contract_rows():
        section = schema.SECTION_BY_NAME[name]
        tables = re.findall(r"`(\w+)`: (.*)", lists_cell)
        assert [spec.table for spec in section.lists] == [t for t, _ in tables], name
        for spec, (_, columns_cell) in zip(section.lists, tables):
            expected = _items(re.sub(r"\. The blank template.*", "", columns_cell))
            stage_marks = [c for c in spec.columns if c.kind == schema.MARK]
            headers = [c.header for c in spec.columns if c.kind != schema.MARK]
            listed = [n for n, _, _ in expected if n not in schema.BUYING_STAGES]
            assert headers == listed, spec.table
            for column in spec.columns:
                entry = next(e for e in expected if e[0] == column.header)
                assert column.required == entry[1], (spec.table, column.header)
                if entry[2] and column.kind == schema.CHOICE:
                    assert list(column.choices) == entry[2], (spec.table, column.header)
            if stage_marks:
                assert [c.header for c in stage_marks] == list(schema.BUYING_STAGES)


def test_row_dataclasses_carry_every_column():
    for spec in schema.LISTS.values():
        row = model.ROW_CLASSES[spec.table]()
        for column in spec.columns:
            assert hasattr(row, column.attr)
    assert model.Stakeholder.__name__ == "Stakeholder"


def test_names_are_unique():
    names = [f.name for f in schema.FIELDS.values()] + list(schema.LISTS)
    assert len(names) == len(set(names))
    for spec in schema.LISTS.values():
        assert len({c.attr for c in spec.columns}) == len(spec.columns)
