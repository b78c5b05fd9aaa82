"""Our own exceptions: the CLI turns each into one line and a documented exit code."""
from __future__ import annotations

from .records import record


EXIT_OK = 0
EXIT_PLAN_HAS_ERRORS = 1
EXIT_UNUSABLE_FILE = 2
EXIT_OUTPUT_REFUSED = 3


@record
class Refusal:
    """Why a file or an output was refused, as data: a stable code, a message and what to do."""

    code: str
    message: str
    hint: str = ""
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message, "hint": self.hint}


class AccountPlanError(Exception):
    """Base of every error the tool reports to a user instead of a traceback.

    Each carries a stable `code` (see README, "Refusals"); subclasses give the default one.
    """

    exit_code = EXIT_UNUSABLE_FILE
    code = "unusable"

    def __init__(self, message: str, *, hint: str = "", code: str | None = None, file: str | None = None,
                 sheet: str | None = None, cell: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if code:
            self.code = code
        self.file = file
        self.sheet = sheet
        self.cell = cell

    @property
    def refusal(self) -> Refusal:
        return Refusal(self.code, self.message, self.hint, self.file, self.sheet, self.cell)

    def one_line(self) -> str:
        """`file: sheet!cell: message; hint`, with the parts we know, on one line."""
        where = [str(self.file)] if self.file else []
        if self.sheet:
            where.append(f"{self.sheet}!{self.cell}" if self.cell else self.sheet)
        text = ": ".join(where + [self.message + (f"; {self.hint}" if self.hint else "")])
        return " ".join(text.split())


class UnusableFileError(AccountPlanError):
    """The input cannot be used at all (exit 2)."""


class FileMissingError(UnusableFileError):
    code = "not-found"


class NotAWorkbookError(UnusableFileError):
    code = "not-a-workbook"


class WrongFormatError(UnusableFileError):
    """A legacy .xls, .xlsm, .xlsb, .ods, Strict OOXML or encrypted file given where an .xlsx is expected."""

    code = "wrong-format"


class HostileFileError(UnusableFileError):
    """A zip bomb, an entity-expansion trick or absurd dimensions."""

    code = "hostile"


class NotAnAccountPlanError(UnusableFileError):
    code = "not-a-plan"


class TemplateTooNewError(UnusableFileError):
    code = "newer-template"


class DifferentAccountsError(AccountPlanError):
    """Two plans of different accounts given where two versions of one account's plan are expected
    (`accountplan diff`; exit 2)."""

    code = "different-accounts"


class OutputError(AccountPlanError):
    """An output cannot be written where asked (exit 3)."""

    exit_code = EXIT_OUTPUT_REFUSED
    code = "output-refused"


class KitError(AccountPlanError):
    """A kit (`--kit DIR`, ACCOUNTPLAN_KIT) that cannot be used: its first problem, with the line of kit.toml
    (exit 2; `accountplan kit check DIR` lists them all)."""

    code = "bad-kit"
