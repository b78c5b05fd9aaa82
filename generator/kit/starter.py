"""The kit.toml `accountplan kit init` writes."""
from __future__ import annotations

import json

from . import DECK_FILE, DOCUMENT_FILE, default_kit
from .folder import BRAND_COLOURS


def starter_kit(name: str) -> str:
    """The kit.toml `accountplan kit init` writes: the built-in questions and brand, ready to change, and every
    other key as a commented example."""
    kit = default_kit()
    brand = kit.brand
    questions = next(spec for spec in kit.definition.lists.values() if spec.table == "PressureTest").prefill

    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    def line(code: str, comment: str) -> str:
        return f"{code:<31} # {comment}"

    lines = [
        f"# The kit of {name}: what the company changes about its account plans, without code.",
        "# Check it:  accountplan kit check DIR        Use it:  --kit DIR, or ACCOUNTPLAN_KIT=DIR",
        "# Every key is described in the README (\"Kits\"). Lines starting with # are examples: remove the # to use one.",
        "",
        line(f"name = {quoted(name)}", "shown on the outputs and in the template's Instructions"),
        line('version = "1.0"', "written into every template made from this kit: raise it when you change it"),
        line(f'currency = "{kit.currency}"', "the default currency of new templates"),
        "",
        line("[brand]", 'colours as hex, like "#0B5394"; fonts by name'),
        line(f'primary = "#{brand.primary}"', "titles, table headers, the chart's main series"),
        line(f'accent = "#{brand.accent}"', "highlights, links, the chart's other series"),
        line(f'font = "{brand.font}"', "body text, and headings unless heading_font is given"),
        f'# heading_font = "{brand.heading_font}"',
        line('# logo = "logo.png"', "a PNG, JPEG or GIF in this folder"),
        "# Other colours: " + ", ".join(c for c in BRAND_COLOURS if c not in ("primary", "accent")),
        "",
        "# The pressure-test questions, in order (the built-in ones: change, add or remove them).",
    ]
    for (question,) in questions:
        lines += ["[[questions]]", f"text = {quoted(question)}", ""]
    lines += [
        "# A field of your own, on the sheet of its section:",
        "# [[fields]]",
        line('# name = "territory"', "its defined name in the template: letters, digits, underscores"),
        '# label = "Territory"',
        line('# section = "Account"', "a built-in section, or one of the [[sections]] below"),
        line('# kind = "choice"', "text, long_text, money, date, percent, score or choice"),
        '# choices = ["North", "South", "West"]',
        "# required = true",
        '# help = "The sales territory the account belongs to"',
        "",
        "# A section of your own, on its own sheet after the built-in ones:",
        "# [[sections]]",
        '# name = "Partner plan"',
        '# sheet = "Partners"',
        '# purpose = "Which partners help us win, and what each brings."',
        "#",
        "# [[sections.lists]]",
        line('# table = "Partners"', "the Excel table's name: letters, digits, underscores"),
        '# columns = [ { header = "Partner", kind = "text", required = true },',
        '#             { header = "Role", kind = "choice", choices = ["Reseller", "Integrator", "Referral"] },',
        '#             { header = "Value influenced", kind = "money" } ]',
        "",
        "# Other words for built-in labels and sentences:",
        "# [wording.labels]",
        '# account_owner = "Client partner"',
        "# [wording.figures]",
        '# secured = "Booked"',
        "",
        "# The company's own Office templates, when there: put them in this folder under these names.",
        f"#   {DECK_FILE}      its masters, layouts (picked by name), theme colours and fonts for the decks",
        f"#   {DOCUMENT_FILE}  its styles, page, header, footer and theme for the plan document",
        "",
    ]
    return "\n".join(lines)

