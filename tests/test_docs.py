"""The README documents every command and every finding code, with the catalogue's severity."""
from pathlib import Path

from generator.cli import main
from generator.assess.findings import CATALOGUE

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_with_a_heading():
    for name in main.commands:
        assert f"### `accountplan {name}" in README, name


def test_every_finding_code_is_in_the_table_with_its_severity():
    for code, kind in CATALOGUE.items():
        assert f"| `{code}` | {kind.severity} | {kind.title} |" in README, code


def test_the_two_set_up_commands_are_there():
    assert "make demo" in README and "make test" in README
