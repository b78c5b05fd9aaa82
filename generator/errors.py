"""Our own exceptions: the CLI turns each into one line and a documented exit code."""
from __future__ import annotations

EXIT_OK = 0
EXIT_PLAN_HAS_ERRORS = 1
EXIT_UNUSABLE_FILE = 2
EXIT_OUTPUT_REFUSED = 3


class AccountPlanError(Exception):
    """Base of every error the tool reports to a user instead of a traceback."""

    exit_code = EXIT_UNUSABLE_FILE

    def __init__(self, message: str, *, file: str | None = None,
                 sheet: str | None = None, cell: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet
        self.cell = cell

    def one_line(self) -> str:
        """`file: sheet!cell: message`, with the parts we know, on one line."""
        where = [str(self.file)] if self.file else []
        if self.sheet:
            where.append(f"{self.sheet}!{self.cell}" if self.cell else self.sheet)
        text = ": ".join(where + [self.message])
        return " ".join(text.split())


class UnusableFileError(AccountPlanError):
    """The input cannot be used at all (exit 2)."""


class FileMissingError(UnusableFileError):
    pass


class NotAWorkbookError(UnusableFileError):
    pass


class WrongFormatError(UnusableFileError):
    """A legacy .xls, .xlsm, .xlsb, .ods, Strict OOXML or encrypted file given where an .xlsx is expected."""


class HostileFileError(UnusableFileError):
    """A zip bomb, an entity-expansion trick or absurd dimensions."""


class NotAnAccountPlanError(UnusableFileError):
    pass


class TemplateTooNewError(UnusableFileError):
    pass


class OutputError(AccountPlanError):
    """An output cannot be written where asked (exit 3)."""

    exit_code = EXIT_OUTPUT_REFUSED
