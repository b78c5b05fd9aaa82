"""The one path a plan takes: read → figures → validate → render each output.

The CLI is a thin shell over `check` and `build`; tests call them directly.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import os
import tempfile
from dataclasses import field
from typing import TYPE_CHECKING
from pathlib import Path
from collections.abc import Callable, Iterator

from . import PRODUCER, fmt
from .errors import OutputError
from .assess.figures import Figures, compute
from .assess.findings import ERROR, WARNING, Finding, sort_key
from .kit import Kit, default_kit
from .plan.model import Plan
from .records import record

if TYPE_CHECKING:
    from .view import PlanView


@record(frozen=False)
class Result:
    """A plan read, its figures computed once, and every finding about it (sorted, errors first)."""

    plan: Plan
    figures: Figures
    findings: list[Finding]
    views: dict = field(default_factory=dict, repr=False, compare=False)   # id(kit) -> (kit, view)
    sheets_read: tuple[str, ...] = ()   # the workbook's sheets as read (`build` lets the checked copy change it)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def stem(self) -> str:
        """The file-name stem of every output: the account name, made safe."""
        return fmt.slug(self.plan.account_name or Path(self.plan.file).stem)


def assess(plan: Plan, as_of: dt.date | None = None, strict: bool = False, kit: Kit | None = None) -> Result:
    """Figures and findings of a plan already read (or built in code), in the kit's definition; a workbook
    made with another kit, or another version of this one, says so (`kit-other`, `template-old`)."""
    from .assess.validate import check_kit, validate

    kit = kit or default_kit()
    definition = kit.definition
    figures = compute(plan, as_of or dt.date.today(), definition)
    findings = [*validate(plan, figures, definition), *check_kit(plan, kit)]
    if strict:
        findings = [f.strict() for f in findings]
    sheets = tuple(plan.workbook.sheetnames) if plan.workbook is not None else ()
    return Result(plan, figures, sorted(findings, key=sort_key), sheets_read=sheets)


def check(source: str | os.PathLike | bytes, as_of: dt.date | None = None, strict: bool = False,
          kit: Kit | None = None, name: str = "") -> Result:
    """Read a workbook (a path, or its bytes shown as `name`) in the kit's definition and assess it; raises
    an AccountPlanError when the file cannot be used."""
    from .plan.reader import read_plan

    kit = kit or default_kit()
    return assess(read_plan(source, name, kit.definition), as_of, strict, kit)


def view_of(result: Result, kit: Kit | None = None) -> PlanView:
    """The one view every output lays out, built once per kit."""
    from .view import build_view

    if kit is None and result.views:          # the view the build made, in the build's kit
        return next(iter(result.views.values()))[1]
    kit = kit or default_kit()
    if id(kit) not in result.views:           # the kit is kept with its view, so its id stays its own
        result.views[id(kit)] = (kit, build_view(result.plan, result.figures, result.findings, kit))
    return result.views[id(kit)][1]


def render(name: str, result: Result, view: PlanView, kit: Kit, path: Path, last: bool = False) -> None:
    """Write the output `name` (a key of OUTPUTS) of an assessed plan to `path`. `last`: nothing reads the
    plan's workbook after this, so the checked workbook may be made in it rather than in a copy."""
    import importlib

    renderer = importlib.import_module(OUTPUTS[name][1])
    if name == "workbook":                 # the rep's own workbook is the base of the checked copy
        from .render.checked import source_of

        renderer.render(view, kit, path, source_of(result.plan), in_place=last)
    else:
        renderer.render(view, kit, path)


# The outputs `build` writes: file-name suffix and the renderer's module.
OUTPUTS: dict[str, tuple[str, str]] = {
    "deck": ("-review.pptx", "generator.render.deck"),
    "document": ("-plan.docx", "generator.render.document"),
    "workbook": ("-plan-checked.xlsx", "generator.render.checked"),
}


def build(path: str | os.PathLike | bytes, out_dir: str | os.PathLike, as_of: dt.date | None = None,
          strict: bool = False, outputs: tuple[str, ...] = tuple(OUTPUTS),
          on_written: Callable[[Path], None] | None = None, kit: Kit | None = None,
          name: str = "", pdf: bool = False, on_note: Callable[[str], None] | None = None,
          pdf_timeout: float | None = None,
          since: str | os.PathLike | bytes | Callable[[Result], str | os.PathLike | None] | None = None,
          since_name: str = "", last: bool = False) -> tuple[Result, list[Path]]:
    """Check a plan and write its outputs into `out_dir`: all of them, or none.

    The plan is read whole first. Every output is checked before anything is written (never over a
    file we did not write, nor over another account's), rendered to a temporary file beside its
    target, and only when all are complete are they renamed into place; on any failure the previous
    set stays as it was. `on_written` is called with each output once all are in place. `path` may be
    the workbook's bytes (shown as `name`).

    With `pdf`, PDFs of the deck and the document follow once those are in place (`render.pdf.to_pdf`, the
    same names ending `.pdf`); without LibreOffice `on_note` is told how to install it (a warning when None)
    and the other outputs stand.

    With `since` (an earlier version's workbook: a path, or its bytes shown as `since_name`), what changed
    since it is computed once and put in the view (`PlanView.changes`): the deck, the document and the
    checked workbook lay it out. `since` may also be a function of the plan just checked that finds its
    earlier version (or None: none), so that the plan is read once (`build FILE --since DIR` matches by the
    account name read).

    `last`: the process ends with this build (the command line's one plan), so Python's collector may rest
    while the plan is read (`collector_paused`) and leave what was read alone while the outputs are written
    (`settled`).
    """
    kit = kit or default_kit()
    source = None if isinstance(path, (bytes, bytearray, memoryview)) else Path(path)
    with collector_paused() if last else contextlib.nullcontext():     # what is read lives to the end
        result = check(path, as_of, strict, kit, name)  # reads the workbook whole: nothing below reads `source`
    with settled() if last else contextlib.nullcontext():    # what was read lives until the outputs are written
        view = view_of(result, kit)
        if callable(since):
            since = since(result)
        if since is not None:
            view = _with_changes_since(result, kit, since, since_name)
        folder = Path(out_dir)
        targets = [folder / f"{result.stem}{OUTPUTS[name][0]}" for name in outputs]
        write_outputs(targets, lambda i, tmp: render(outputs[i], result, view, kit, tmp, last=True),
                      result.plan.account_name, result.sheets_read, source)
    if pdf:
        targets = targets + _pdfs(outputs, targets, folder, on_note, pdf_timeout)
    if on_written:
        for target in targets:
            on_written(target)
    return result, targets


@contextlib.contextmanager
def settled() -> Iterator[None]:
    """Python's collector leaves alone what exists now (`gc.freeze`) until the block ends.

    A plan just read (the workbook, every cell, the plan) lives until its outputs are written, yet each of
    the collector's sweeps of the older objects walks all of it again: a sixth of a 500-row build's time,
    and a tenth of a sample's. Frozen, they are skipped. Thawed, they all join the oldest generation, which
    is swept rarely: the cycles of a workbook no longer used wait there, so a process that goes on to build
    more plans (a batch worker: 105 → 300 MB over 200 plans) must not use it; one that ends with the build
    may. Nothing is frozen when something else has frozen objects already."""
    import gc

    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's collector off for a block whose objects all live until it ends: one plan read, checked and
    reported, which is all `validate` does.

    Its sweeps would find nothing to free there, yet walk what was read again and again: 30% of the time
    `validate` takes on a 5,000-row plan (3.6 → 2.5 s, for 1 MB more at its peak) and 7 ms of the sample's.
    After the block, what it made joins the oldest generation unwalked (frozen, then thawed), unless
    something else holds frozen objects (`settled`), which thawing would free too. Not for a process that
    goes on to read more plans (a worker): their cycles would wait in the oldest generation."""
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        gc.enable()


def _with_changes_since(result: Result, kit: Kit, since: str | os.PathLike | bytes, name: str = "") -> PlanView:
    """The build's view with what changed since the workbook `since` (a path, or its bytes shown as `name`:
    `diff.diff_since`), kept as the view."""
    from .diff import diff_since
    from .view import with_changes

    view = with_changes(view_of(result, kit), diff_since(since, result, kit, name=name))
    result.views[id(kit)] = (kit, view)
    return view


def _pdfs(outputs: tuple[str, ...], targets: list[Path], folder: Path, on_note: Callable[[str], None] | None,
          timeout: float | None) -> list[Path]:
    """PDFs of the deck and the document just written; none (and a note saying how to install LibreOffice)
    without LibreOffice."""
    from .render import pdf

    sources = [target for output, target in zip(outputs, targets) if output in ("deck", "document")]
    if not sources:
        return []
    try:
        return pdf.to_pdf(sources, folder, pdf.TIMEOUT if timeout is None else timeout)
    except pdf.LibreOfficeMissing as missing:
        if on_note is None:
            import warnings
            warnings.warn(str(missing), stacklevel=3)
        else:
            on_note(str(missing))
        return []


# Errors that say the disk, not the plan, is the problem.
FULL = frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EROFS", "EFBIG") if hasattr(errno, name))

# The hidden sheet the checked workbook keeps of its own flags (`checked.FLAGS_SHEET`): it
# survives the rep editing and saving the file in Excel, which takes `lastModifiedBy` over.
FLAGS_SHEET = "_accountplan_flags"


def write_outputs(targets: list[Path], write: Callable[[int, Path], None], account: str,
                  sheets_read: tuple[str, ...] = (), source: Path | None = None) -> None:
    """Write a plan's outputs into their folder, all or none: every target checked (never the rep's input,
    a file we did not write, nor another account's outputs), each written by `write(i, temporary)` to a
    temporary file beside its target, all checked again, then renamed into place. `account` and
    `sheets_read` are the plan's (its name, its workbook's sheets as read), `source` its workbook file.
    `build` renders into the temporary files; the cluster writes the bytes a worker rendered."""
    folder = targets[0].parent
    _prepare_folder(folder)
    checked_input = source is not None and _is_checked_workbook(sheets_read, source)
    accounts = _accounts_of(account, checked_input, source, folder)
    for target in targets:
        _check_replaceable(target, source, checked_input, accounts)
    for target in targets:
        _remove_stale_temporaries(target)
    with atomic_outputs(targets) as temporaries:
        for i, (target, tmp) in enumerate(zip(targets, temporaries)):
            try:
                write(i, tmp)
            except OSError as exc:
                if exc.errno in FULL or exc.filename in (str(tmp), tmp):
                    raise OutputError(f"cannot be written ({exc.strerror})", file=str(target)) from exc
                raise
        for target in targets:                     # again, just before replacing: a file may have appeared
            _check_replaceable(target, source, checked_input, accounts)


def _accounts_of(account: str, checked_input: bool, source: Path | None, folder: Path) -> set[str]:
    """The account names whose outputs this build may replace: the plan's own, and when the input is a
    checked workbook in the output folder (the fix-and-rebuild loop), the name its last build recorded."""
    names = {account}
    if source is not None and checked_input and _same_folder(source.parent, folder):
        recorded = _core_properties(source) or {}
        names.add(recorded.get("title", ""))
    return names


def _check_replaceable(target: Path, source: Path | None, checked_input: bool, accounts: set[str]) -> None:
    """Never write over the rep's own input, a file of the same name that we did not write, nor the
    outputs of another account whose name makes the same file name."""
    if source is not None and _same_file(target, source):
        if checked_input:
            return                                 # our checked workbook, fixed by the rep: updated in place
        raise OutputError("refusing to write over the input file", file=str(target))
    if not (target.exists() or target.is_symlink()):
        return
    recorded = _core_properties(target) if target.is_file() else None
    if recorded is None or recorded.get("lastModifiedBy") != PRODUCER:
        raise OutputError("exists and was not written by accountplan; move it or choose another folder",
                          file=str(target))
    title = recorded.get("title", "")
    if not any(_same_account(title, name) for name in accounts):
        raise OutputError(f"holds the plan of '{title}', a different account whose file names would be the same",
                          hint="choose another folder for this plan (-o)", file=str(target))


def _is_checked_workbook(sheets_read: tuple[str, ...], source: Path) -> bool:
    """The input is a checked workbook `build` wrote (perhaps edited and saved since by the rep); by its
    sheets as read, since the checked copy may have been made in the workbook read."""
    if FLAGS_SHEET in sheets_read:
        return True
    recorded = _core_properties(source)
    return recorded is not None and recorded.get("lastModifiedBy") == PRODUCER


def _same_account(recorded: str, name: str) -> bool:
    """`recorded` (an output's title) names the account `name`; the formats keep 255 characters of it."""
    if " ".join(recorded.split()) == " ".join(name.split()):
        return True
    return len(recorded) == 255 and recorded.endswith("\u2026") and name.startswith(recorded[:-1])


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


STALE_TEMPORARY_SECONDS = 600


def _remove_stale_temporaries(target: Path) -> None:
    """A killed build leaves its temporary file behind; clear ours once they are surely abandoned."""
    import time

    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                leftover.unlink()


CORE_PART = "docProps/core.xml"
MAX_CORE_BYTES = 64_000           # a core properties part is a few hundred bytes
CORE_NAMES = {"{http://purl.org/dc/elements/1.1/}title": "title",
              "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy":
                  "lastModifiedBy"}


def _core_properties(path: Path) -> dict[str, str] | None:
    """`title` and `lastModifiedBy` of an Office file's core properties; None if it has none we can read."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        with zipfile.ZipFile(path) as archive, archive.open(CORE_PART) as core:
            data = core.read(MAX_CORE_BYTES + 1)
    except (OSError, KeyError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile):
        return None
    if len(data) > MAX_CORE_BYTES:
        return None
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError):
        return None
    return {CORE_NAMES[child.tag]: child.text or "" for child in root if child.tag in CORE_NAMES}


def _prepare_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError("the output path is a file, not a folder", file=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder ({_why(exc)})", file=str(folder)) from exc


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def current_umask() -> int:
    """The process's umask, read without changing it where the system tells (Linux), else once."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return _umask_by_setting()


@functools.cache
def _umask_by_setting() -> int:
    """Setting the umask is the only portable way to read it; done once, through a strict value."""
    old = os.umask(0o077)
    os.umask(old)
    return old


@contextlib.contextmanager
def atomic_outputs(targets: list[Path]) -> Iterator[list[Path]]:
    """Yield a temporary path beside each target; when the block succeeds, give each the mode a new
    file gets (0666 less the umask), fsync it, and rename them all into place.

    A crash, a kill or an error before the renames leaves the previous targets (or none), never a
    half-written file; the temporaries are removed. Any OSError here is an `OutputError` (exit 3).
    """
    mode = 0o666 & ~current_umask()
    temporaries: list[Path] = []
    try:
        for target in targets:
            try:
                fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            except OSError as exc:
                raise OutputError(f"cannot write into this folder ({_why(exc)})", file=str(target.parent)) from exc
            os.close(fd)
            temporaries.append(Path(name))
        yield temporaries
        for target, tmp in zip(targets, temporaries):
            try:
                os.chmod(tmp, mode)
                with open(tmp, "rb+") as handle:
                    os.fsync(handle.fileno())
            except OSError as exc:
                raise OutputError(f"cannot be written ({_why(exc)})", file=str(target)) from exc
        for target, tmp in zip(targets, temporaries):
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise OutputError(f"cannot be replaced ({_why(exc)})", file=str(target)) from exc
        for folder in dict.fromkeys(target.parent for target in targets):
            _sync_folder(folder)
    except BaseException:
        for tmp in temporaries:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """`atomic_outputs` for one file."""
    with atomic_outputs([target]) as (tmp,):
        yield tmp


def _sync_folder(folder: Path) -> None:
    """Make the renames durable too (where the system lets a folder be fsynced)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
