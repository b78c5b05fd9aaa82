"""accountplan: a rep's account-planning workbook in, a review deck, a plan document and a checked workbook out."""

import sys
from pathlib import Path

__version__ = "0.1.0"


def templates_dir() -> Path:
    """`templates/` of a checkout (or an editable install), else the copy a wheel installs under share/."""
    checkout = Path(__file__).resolve().parent.parent / "templates"
    return checkout if checkout.is_dir() else Path(sys.prefix) / "share" / "accountplan" / "templates"

# Written into every output's core properties (lastModifiedBy): how `build` knows a file is its own to replace.
PRODUCER = "accountplan"
