"""accountplan: a rep's account-planning workbook in, a review deck, a plan document and a checked workbook out."""

__version__ = "0.1.0"

# Written into every output's core properties (lastModifiedBy): how `build` knows a file is its own to replace.
PRODUCER = "accountplan"
