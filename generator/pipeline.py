"""The one path a plan takes: read → figures → validate → render each output.

The CLI is a thin shell over `check` and `build`; tests call them directly.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Iterator

from . import PRODUCER, fmt
from .errors import OutputError
from .figures import Figures, compute
from .findings import ERROR, WARNING, Finding, sort_key
from .model import Plan


@dataclass
class Result:
    """A plan read, its figures computed once, and every finding about it (sorted, errors first)."""

    plan: Plan
    figures: Figures
    findings: list[Finding]

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


def assess(plan: Plan, as_of: dt.date | None = None, strict: bool = False) -> Result:
    """Figures and findings of a plan already read (or built in code)."""
    from .validate import validate

    figures = compute(plan, as_of or dt.date.today())
    findings = validate(plan, figures)
    if strict:
        findings = [f.strict() for f in findings]
    return Result(plan, figures, sorted(findings, key=sort_key))


def check(path: str | os.PathLike, as_of: dt.date | None = None, strict: bool = False) -> Result:
    """Read a workbook and assess it; raises an AccountPlanError when the file cannot be used."""
    from .reader import read_plan

    return assess(read_plan(path), as_of, strict)


# The outputs `build` writes: file-name suffix and the renderer's module.
OUTPUTS: dict[str, tuple[str, str]] = {
    "deck": ("-review.pptx", "generator.deck"),
    "document": ("-plan.docx", "generator.document"),
    "workbook": ("-plan-checked.xlsx", "generator.checked_workbook"),
}


def build(path: str | os.PathLike, out_dir: str | os.PathLike, as_of: dt.date | None = None,
          strict: bool = False, outputs: tuple[str, ...] = tuple(OUTPUTS),
          on_written: Callable[[Path], None] | None = None) -> tuple[Result, list[Path]]:
    """Check a plan and write each output into `out_dir`, each one atomically."""
    import importlib

    result = check(path, as_of, strict)
    folder = Path(out_dir)
    _prepare_folder(folder)
    written = []
    for name in outputs:
        suffix, module = OUTPUTS[name]
        target = folder / f"{result.stem}{suffix}"
        _check_replaceable(target, Path(path))
        _remove_stale_temporaries(target)
        renderer = importlib.import_module(module)
        with atomic_output(target) as tmp:
            renderer.render(result, tmp)
        written.append(target)
        if on_written:
            on_written(target)
    return result, written


def _check_replaceable(target: Path, source: Path) -> None:
    """Never write over the input, nor over a file of the same name that we did not write."""
    if target.resolve() == source.resolve():
        raise OutputError("refusing to write over the input file", file=str(target))
    if target.exists() and not _written_by_us(target):
        raise OutputError("exists and was not written by accountplan; move it or choose another folder",
                          file=str(target))


STALE_TEMPORARY_SECONDS = 600


def _remove_stale_temporaries(target: Path) -> None:
    """A killed build leaves its temporary file behind; clear ours once they are surely abandoned."""
    import time

    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > STALE_TEMPORARY_SECONDS:
                leftover.unlink()


def _written_by_us(path: Path) -> bool:
    import re
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive, archive.open("docProps/core.xml") as core:
            head = core.read(64_000)
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return re.search(rb"lastModifiedBy>" + PRODUCER.encode() + rb"<", head) is not None


def _prepare_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError("the output path is a file, not a folder", file=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder ({exc.strerror})", file=str(folder)) from exc


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success fsync and rename it into place.

    A crash or kill leaves the previous `target` (or none), never a half-written file.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
