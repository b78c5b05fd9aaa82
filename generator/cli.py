"""The `accountplan` command: a thin shell over `pipeline`, `report` and `template`.

Every command turns our own exceptions into one line on standard error and a documented exit code.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_OK, EXIT_PLAN_HAS_ERRORS, AccountPlanError

EXIT_INTERNAL = 4
EXIT_BROKEN_PIPE = 141   # 128 + SIGPIPE: what a shell shows for a program whose reader went away


def _say(text: str) -> None:
    """Echo a line to standard output; a reader that went away (`| head -1`) stops the printing, not the run."""
    try:
        click.echo(text)
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    """Point standard output at the null device, so Python's own flush at exit does not fail again
    (what the Python docs recommend for SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)


def _as_of(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date like 2027-01-15") from None


def plan_options(command):
    """--as-of and --strict, shared by every command that checks a plan."""
    command = click.option("--strict", is_flag=True, help="Count warnings as errors (exit 1 on any).")(command)
    return click.option("--as-of", callback=_as_of, metavar="DATE",
                        help="Reference date for overdue and due-soon checks (default: today).")(command)


KIT_ENVVAR = "ACCOUNTPLAN_KIT"


def _load_kit(ctx: click.Context, _param, value: Path | None):
    """The kit of --kit DIR (or ACCOUNTPLAN_KIT), loaded and checked; None for the built-in kit. A kit that
    cannot be used is one line (its first problem, with the line of kit.toml) and exit 2, before any work."""
    if value is None or not str(value):
        return None
    from .kit import load_kit

    try:
        return load_kit(value)
    except AccountPlanError as exc:
        if ctx.find_root().params.get("debug", False):
            raise
        click.echo(exc.one_line(), err=True)
        ctx.exit(exc.exit_code)


def kit_option(command):
    """--kit DIR, also from ACCOUNTPLAN_KIT: the company's kit folder; the command gets `kit`, a `Kit` (or None
    for the built-in kit), to pass to the library calls. Every command that reads, checks or writes a plan or a
    template takes it."""
    return click.option("--kit", "kit", type=click.Path(path_type=Path), envvar=KIT_ENVVAR, show_envvar=True,
                        metavar="DIR", callback=_load_kit,
                        help="The company's kit: a folder with kit.toml (default: the built-in kit).")(command)


def reported(command):
    """Run a command, turning our errors into one line and an exit code, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except AccountPlanError as exc:
            if debug:
                raise
            click.echo(exc.one_line(), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException:   # a usage error found inside a command: click says it, exit 2
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:       # whoever read our output stopped reading (`| head -1`): nothing to say
            _silence_stdout()
            sys.exit(EXIT_BROKEN_PIPE)
        except Exception as exc:  # a bug of ours: still one line, with a way to see more
            if debug:
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
            sys.exit(EXIT_INTERNAL)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accountplan")
@click.option("--debug", is_flag=True, help="Show the full trace of an error.")
def main(debug: bool) -> None:
    """Turn an account-planning workbook into a review deck, a plan document and a checked workbook."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the contract's JSON report instead of text.")
@plan_options
@kit_option
@reported
def validate(file: Path, as_json: bool, as_of: dt.date | None, strict: bool, kit=None) -> None:
    """Check a plan and report what is wrong or missing, cell by cell.

    Example: accountplan validate samples/cobalt-ridge-health.xlsx --as-of 2026-11-25
    """
    from .render import report
    from .errors import UnusableFileError
    from .pipeline import check, collector_paused, view_of

    with collector_paused():                  # what is read lives until the report is printed
        try:
            result = check(file, as_of, strict, kit)
        except UnusableFileError as refused:
            if not as_json:
                raise
            click.echo(json.dumps(report.refusal_json(str(file), refused.refusal), indent=2, ensure_ascii=False))
            click.echo(refused.one_line(), err=True)
            sys.exit(refused.exit_code)
        if as_json:
            click.echo(json.dumps(report.to_json(result), indent=2, ensure_ascii=False))
        else:
            click.echo(report.to_text(view_of(result, kit), result.plan.file, result.plan.template_version, _paint))
    sys.exit(EXIT_PLAN_HAS_ERRORS if result.errors else EXIT_OK)


COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


def _paint(text: str, severity: str) -> str:
    """Severity in colour; click drops the colour when the output is not a terminal."""
    return click.style(text, fg=COLOURS.get(severity), bold=severity == "error")


def jobs_option(command):
    """--jobs: worker processes for commands that work on many plans."""
    return click.option("--jobs", type=click.IntRange(1), metavar="N",
                        help="Plans worked on at once, one worker process each [default: the processors].")(command)


def scheduler_option(command):
    """--scheduler: work on many plans on a Dask cluster instead of this machine's processes."""
    return click.option("--scheduler", metavar="ADDRESS",
                        help="Work on a Dask cluster: its scheduler's address (tcp://host:8786), or 'local' to try "
                             "one on this machine (--jobs workers). Needs the dask extra.")(command)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write the outputs into (created if needed).")
@jobs_option
@scheduler_option
@plan_options
@click.option("--pdf", is_flag=True, help="Also write PDFs of the deck and the document (needs LibreOffice).")
@click.option("--since", type=click.Path(exists=True, path_type=Path), metavar="OLD.xlsx|DIR",
              help="An earlier version of the plan: add what changed since it (a deck slide, a document section, "
                   "a Changes sheet) and propose a row for the review log. DIR (the plans of the last review): "
                   "each plan against its earlier version there, matched by account name.")
@kit_option
@reported
def build(paths: tuple[Path, ...], out_dir: Path, jobs: int | None, as_of: dt.date | None, strict: bool,
          kit=None, scheduler: str | None = None, pdf: bool = False, since: Path | None = None) -> None:
    """Write the review deck, the plan document and the checked workbook for a plan, or for many.

    One file: its outputs go into the folder. Several files, or a folder (searched for .xlsx plans): each
    plan's outputs go into a folder of its own, named from the account, built in parallel (on a Dask cluster
    with --scheduler; one file is built here). --since DIR: each plan against its earlier version in DIR.

    Example: accountplan build samples/harbor-line-logistics.xlsx -o output
    """
    if len(paths) > 1 or paths[0].is_dir():
        from .batch_report import run_build

        if since is not None and not since.is_dir():
            raise click.UsageError(f"--since {since}: with several plans, give DIR, a folder of the last review's "
                                   "plans (each plan is matched to its earlier version there by account name)")
        sys.exit(run_build(paths, out_dir, as_of, strict, jobs, _say, kit=kit, scheduler=scheduler, pdf=pdf,
                           note=lambda text: click.echo(text, err=True), since=since))
    from .render import report
    from .pipeline import build as build_outputs, view_of

    file = paths[0]
    if since is not None and since.is_dir():                 # matched by the account name the build reads
        since = functools.partial(_earlier_in, file, since, as_of, kit, jobs, out_dir)
    result, _ = build_outputs(file, out_dir, as_of, strict, on_written=lambda p: _say(f"wrote {p}"), kit=kit,
                              pdf=pdf, on_note=lambda text: click.echo(text, err=True), since=since, last=True)
    _say(report.summary_line(view_of(result, kit)))
    sys.exit(EXIT_PLAN_HAS_ERRORS if result.errors else EXIT_OK)


def _earlier_in(file: Path, folder: Path, as_of: dt.date | None, kit, jobs: int | None, out_dir: Path,
                result) -> Path | None:
    """`build FILE --since DIR`: the earlier version in DIR of the plan the build has just read (`result`),
    matched as a batch's plans are (said in a few lines), or None (built without changes: new since the last
    review)."""
    from .batch import earlier_of
    from .batch_report import since_lines, since_text

    found, run = earlier_of(file, folder, as_of, kit, jobs, skip=out_dir, account=result.plan.account_name or "")
    for line in since_lines(run, [found]):
        _say(line)
    _say(f"{file}: {since_text(found, kit, 'since ')}")
    return Path(found.earlier) if found.earlier else None


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path),
              help="Folder to write portfolio.xlsx and portfolio.pptx into (created if needed).")
@click.option("--json", "as_json", is_flag=True, help="Print the plans and totals as JSON instead of text.")
@click.option("--since", type=click.Path(exists=True, path_type=Path), metavar="DIR",
              help="The plans of the last review (a folder, searched as PATH is): each plan is compared with its "
                   "earlier version there, matched by account name.")
@jobs_option
@scheduler_option
@plan_options
@kit_option
@reported
def portfolio(paths: tuple[Path, ...], out_dir: Path | None, as_json: bool, jobs: int | None,
              as_of: dt.date | None, strict: bool, kit=None, scheduler: str | None = None,
              since: Path | None = None) -> None:
    """Roll many plans up for their manager: totals per currency, positions, gaps, plan health, actions.

    PATH may be plan files or folders (searched for .xlsx plans). With --since DIR, what moved in each plan
    since its version in DIR.

    Example: accountplan portfolio plans/ -o portfolio --as-of 2026-11-25 --since reviews/2026-q3
    """
    if out_dir is None and not as_json:
        raise click.UsageError("give -o OUT for the portfolio workbook and deck, or --json (or both)")
    from .batch_report import run_portfolio

    sys.exit(run_portfolio(paths, out_dir, as_json, as_of, strict, jobs, _say, kit=kit, scheduler=scheduler,
                           since=since))


@main.command("new-template")
@click.option("-o", "--output", "path", type=click.Path(path_type=Path), required=True,
              help="Where to write the blank workbook (.xlsx).")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@kit_option
@reported
def new_template(path: Path, force: bool, kit=None) -> None:
    """Write the blank planning workbook a rep fills in.

    Example: accountplan new-template -o account-plan.xlsx
    """
    from .errors import OutputError
    from .kit import default_kit
    from .pipeline import atomic_output
    from .plan.template import write_template

    if path.exists() and not force:
        raise OutputError("already exists; use --force to overwrite it", file=str(path))
    if path.suffix.lower() != ".xlsx":
        raise OutputError("the template must be saved as .xlsx", file=str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder ({exc.strerror})", file=str(path.parent)) from exc
    with atomic_output(path) as tmp:
        write_template(tmp, kit or default_kit())
    _say(f"wrote {path}")


@main.command()
@click.argument("old", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", "new", type=click.Path(path_type=Path), required=True,
              help="Where to write the upgraded plan (.xlsx); never over OLD.")
@click.option("--force", is_flag=True, help="Overwrite NEW if it exists.")
@kit_option
@reported
def upgrade(old: Path, new: Path, force: bool, kit) -> None:
    """Move every value of a plan into a fresh template of the current kit, listing what has no place.

    Exit 1 when something could not be placed (a field or list the kit dropped, a value with no home).

    Example: accountplan upgrade plan-2026.xlsx -o plan-2027.xlsx --kit northwind-kit
    """
    from .plan.upgrade import upgrade as move

    moved = move(old, new, kit, force)
    for line in moved.lines():
        _say(line)
    sys.exit(EXIT_OK if moved.complete else EXIT_PLAN_HAS_ERRORS)


@main.command()
@click.option("-o", "--output", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("samples"),
              show_default=True, help="Folder to write the sample plans into.")
@reported
def samples(folder: Path) -> None:
    """Write the bundled sample plans (made-up companies) as filled-in workbooks.

    Example: accountplan samples -o samples
    """
    from .samples import write_samples

    for path in write_samples(folder):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("old", type=click.Path(dir_okay=True, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON instead of a memo.")
@click.option("--as-of", callback=_as_of, metavar="DATE",
              help="Reference date of the new version (default: today); the old one is taken as of its plan date.")
@kit_option
@reported
def diff(old: Path, new: Path, as_json: bool, as_of: dt.date | None, kit=None) -> None:
    """What changed between two versions of one account's plan: figures, rows, actions, sections.

    Example: accountplan diff plan-august.xlsx plan-november.xlsx --as-of 2026-11-25
    """
    from .diff import diff_files, to_json, to_text

    changes = diff_files(old, new, as_of, kit)
    _say(json.dumps(to_json(changes), indent=2, ensure_ascii=False) if as_json else to_text(changes))
    sys.exit(EXIT_OK)


@main.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--ics", "ics", type=click.Path(path_type=Path), metavar="FILE",
              help="Write the open actions with a due date as an iCalendar file (.ics).")
@click.option("--as-of", callback=_as_of, metavar="DATE", help="Reference date for overdue actions (default: today).")
@kit_option
@reported
def actions(file: Path, ics: Path | None, as_of: dt.date | None, kit=None) -> None:
    """List a plan's open actions, or put them in a calendar (--ics): one all-day item each on its due date.

    Example: accountplan actions samples/harbor-line-logistics.xlsx --ics harbor.ics
    """
    from . import fmt
    from .ics import calendar_of, write_calendar
    from .kit import default_kit
    from .pipeline import check

    result = check(file, as_of, kit=kit)
    definition = (kit or default_kit()).definition
    if ics is not None:
        calendar = write_calendar(result, ics, definition)
        count = len(calendar.events)
        _say(f"wrote {ics}: {count} open action{'' if count == 1 else 's'} on {'its' if count == 1 else 'their'}"
             " due date" + ("" if count == 1 else "s"))
        for action in calendar.not_placed:
            _say(f"not placed, no due date: {action.action} ({action.owner or fmt.NONE}, {action.status})")
    else:
        calendar = calendar_of(result, definition)
        for event in calendar.events:
            _say(f"{fmt.date(event.due):<12} {event.summary} ({event.owner or fmt.NONE})")
        for action in calendar.not_placed:
            _say(f"{'no due date':<12} {action.action} ({action.owner or fmt.NONE})")
    sys.exit(EXIT_OK)


@main.group("kit")
def kit_group() -> None:
    """Make and check a kit: a company's own questions, fields, sections, wording and brand (see README, Kits).

    Every command that reads or writes a plan takes the kit with --kit DIR (or ACCOUNTPLAN_KIT=DIR).
    """


@kit_group.command("init")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@reported
def kit_init(folder: Path) -> None:
    """Write a starter kit into a new (or empty) folder: kit.toml with the built-in questions and brand, and
    commented examples of everything else.

    Example: accountplan kit init kits/acme
    """
    from .errors import OutputError
    from .kit import KIT_FILE
    from .kit.starter import starter_kit

    if folder.exists() and not folder.is_dir():
        raise OutputError("is a file; give a new folder for the kit", file=str(folder))
    if folder.is_dir() and any(folder.iterdir()):
        raise OutputError("is not empty; give a new folder for the kit (a kit's files are kit.toml and its own)",
                          file=str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        name = " ".join(folder.resolve().name.replace("-", " ").replace("_", " ").split()) or "My company"
        (folder / KIT_FILE).write_text(starter_kit(name), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write the kit ({exc.strerror or type(exc).__name__})", file=str(folder)) from exc
    _say(f"wrote {folder / KIT_FILE}")


@kit_group.command("check")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@reported
def kit_check(folder: Path) -> None:
    """Check a kit: every problem, one line each with the line of kit.toml (exit 2), or "kit OK" (exit 0).

    Example: accountplan kit check kits/northwind
    """
    from .errors import EXIT_UNUSABLE_FILE
    from .kit import check_kit, load_kit

    problems = check_kit(folder)
    for problem in problems:
        _say(str(problem))
    if problems:
        sys.exit(EXIT_UNUSABLE_FILE)
    kit = load_kit(folder)
    _say(f"kit OK: {kit.name} {kit.version}")
    _say(_kit_summary(kit))
    sys.exit(EXIT_OK)


def _kit_summary(kit) -> str:
    """What a kit adds to the built-in one, in a line."""
    from .kit import default_kit

    builtin = default_kit().definition
    fields = [name for name in kit.definition.fields if name not in builtin.fields]
    sections = [s.name for s in kit.definition.sections if s.name not in {b.name for b in builtin.sections}]
    questions = len(kit.definition.lists["PressureTest"].prefill)
    parts = [f"{len(fields)} field{'s' * (len(fields) != 1)} of its own"
             + (f" ({', '.join(fields)})" if fields else ""),
             f"{len(sections)} section{'s' * (len(sections) != 1)} of its own"
             + (f" ({', '.join(sections)})" if sections else ""),
             f"{questions} pressure-test question{'s' * (questions != 1)}", f"currency {kit.currency}"]
    parts += [what for what, path in (("logo", kit.logo), ("deck.pptx", kit.deck_template),
                                      ("document.docx", kit.document_template)) if path]
    return "  " + " · ".join(parts)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, show_envvar=True, envvar="ACCOUNTPLAN_HOST",
              help="Address to listen on; beyond this machine it needs --token (or --insecure-no-token).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), show_envvar=True,
              envvar="ACCOUNTPLAN_PORT")
@click.option("--jobs", type=click.IntRange(1), metavar="N", show_envvar=True, envvar="ACCOUNTPLAN_JOBS",
              help="Checks and builds at once, one worker process each [default: the processors].")
@click.option("--queue", default=16, show_default=True, type=click.IntRange(0), show_envvar=True,
              envvar="ACCOUNTPLAN_QUEUE", help="Uploads waiting for a worker; more get 503.")
@click.option("--time-limit", default=60.0, show_default=True, type=click.FloatRange(0, min_open=True),
              show_envvar=True, envvar="ACCOUNTPLAN_TIME_LIMIT",
              help="Seconds one check or build may take; past it: 504.")
@click.option("--max-upload-mb", default=20.0, show_default=True, type=click.FloatRange(0, min_open=True),
              show_envvar=True, envvar="ACCOUNTPLAN_MAX_UPLOAD_MB", help="Largest upload; more get 413, unread.")
@click.option("--keep-minutes", default=10.0, show_default=True, type=click.FloatRange(0, min_open=True),
              show_envvar=True, envvar="ACCOUNTPLAN_KEEP_MINUTES", help="How long the page's download links live.")
@click.option("--token", show_envvar=True, envvar="ACCOUNTPLAN_TOKEN", metavar="TOKEN",
              help="Shared access token (better in ACCOUNTPLAN_TOKEN: a command line is visible to others).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME", show_envvar=True,
              envvar="ACCOUNTPLAN_ALLOWED_HOSTS", help="A name the server is reached by (repeat it; the variable takes "
              "names separated by spaces); other Host headers get 400. Default: this machine's names when bound to "
              "it, any name otherwise.")
@click.option("--insecure-no-token", is_flag=True, show_envvar=True, envvar="ACCOUNTPLAN_INSECURE_NO_TOKEN",
              help="Listen beyond this machine without a token (only behind a proxy that checks who comes in).")
@kit_option
@reported
def serve(host: str, port: int, jobs: int | None, queue: int, time_limit: float, max_upload_mb: float,
          keep_minutes: float, token: str | None, insecure_no_token: bool, allowed_hosts: tuple[str, ...] = (),
          kit=None) -> None:
    """Serve the web page for reps (drop the workbook, see what to fix, download the outputs) and its API.

    Needs the web extra: pip install "accountplan[web]".

    Example: accountplan serve --port 8000
    """
    import logging

    try:
        import uvicorn

        from .web.app import create_app
        from .web.config import MB, Config, default_jobs
    except ImportError as missing:
        raise click.UsageError(f"the web server needs the web extra ({missing.name} is missing): "
                               "pip install \"accountplan[web]\"") from None
    try:
        config = Config(host=host, port=port, jobs=jobs or default_jobs(), queue=queue, time_limit=time_limit,
                        max_upload=int(max_upload_mb * MB), keep_seconds=keep_minutes * 60, token=token or None,
                        insecure_no_token=insecure_no_token, kit=kit, allowed_hosts=tuple(allowed_hosts))
        config.check_exposure()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(config), host=host, port=port, access_log=False, server_header=False, log_level="info")


def run(args: list[str] | None = None) -> None:
    """The `accountplan` program: one command, then the process ends.

    What the command made is freed with the process, so Python is told not to walk all of it once more on
    the way out: its last collection at exit sweeps every object still alive (the workbook read, every cell,
    the view), 20 ms of a 160 ms `validate` and more the longer the plan. `gc.freeze` runs after every other
    exit handler (they run last-registered first), so files and temporary folders are still closed and
    removed; only Python's own last sweep is skipped. The library and the tests call `main`."""
    import atexit
    import gc

    atexit.register(gc.freeze)
    main(args)


if __name__ == "__main__":
    run()
