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
@reported
def validate(file: Path, as_json: bool, as_of: dt.date | None, strict: bool) -> None:
    """Check a plan and report what is wrong or missing, cell by cell.

    Example: accountplan validate samples/cobalt-ridge-health.xlsx --as-of 2026-11-25
    """
    from .render import report
    from .errors import UnusableFileError
    from .pipeline import check, view_of

    try:
        result = check(file, as_of, strict)
    except UnusableFileError as refused:
        if not as_json:
            raise
        click.echo(json.dumps(report.refusal_json(str(file), refused.refusal), indent=2, ensure_ascii=False))
        click.echo(refused.one_line(), err=True)
        sys.exit(refused.exit_code)
    if as_json:
        click.echo(json.dumps(report.to_json(result), indent=2, ensure_ascii=False))
    else:
        click.echo(report.to_text(view_of(result), result.plan.file, result.plan.template_version, _paint))
    sys.exit(EXIT_PLAN_HAS_ERRORS if result.errors else EXIT_OK)


COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


def _paint(text: str, severity: str) -> str:
    """Severity in colour; click drops the colour when the output is not a terminal."""
    return click.style(text, fg=COLOURS.get(severity), bold=severity == "error")


def jobs_option(command):
    """--jobs: worker processes for commands that work on many plans."""
    return click.option("--jobs", type=click.IntRange(1), metavar="N",
                        help="Plans worked on at once, one worker process each [default: the processors].")(command)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write the outputs into (created if needed).")
@jobs_option
@plan_options
@reported
def build(paths: tuple[Path, ...], out_dir: Path, jobs: int | None, as_of: dt.date | None, strict: bool) -> None:
    """Write the review deck, the plan document and the checked workbook for a plan, or for many.

    One file: its outputs go into the folder. Several files, or a folder (searched for .xlsx plans): each
    plan's outputs go into a folder of its own, named from the account, built in parallel.

    Example: accountplan build samples/harbor-line-logistics.xlsx -o output
    """
    if len(paths) > 1 or paths[0].is_dir():
        from .batch_report import run_build

        sys.exit(run_build(paths, out_dir, as_of, strict, jobs, _say))
    from .render import report
    from .pipeline import build as build_outputs, view_of

    file = paths[0]
    result, _ = build_outputs(file, out_dir, as_of, strict, on_written=lambda p: _say(f"wrote {p}"))
    _say(report.summary_line(view_of(result)))
    sys.exit(EXIT_PLAN_HAS_ERRORS if result.errors else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(dir_okay=True, path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path),
              help="Folder to write portfolio.xlsx and portfolio.pptx into (created if needed).")
@click.option("--json", "as_json", is_flag=True, help="Print the plans and totals as JSON instead of text.")
@jobs_option
@plan_options
@reported
def portfolio(paths: tuple[Path, ...], out_dir: Path | None, as_json: bool, jobs: int | None,
              as_of: dt.date | None, strict: bool) -> None:
    """Roll many plans up for their manager: totals per currency, positions, gaps, plan health, actions.

    PATH may be plan files or folders (searched for .xlsx plans).

    Example: accountplan portfolio plans/ -o portfolio --as-of 2026-11-25
    """
    if out_dir is None and not as_json:
        raise click.UsageError("give -o OUT for the portfolio workbook and deck, or --json (or both)")
    from .batch_report import run_portfolio

    sys.exit(run_portfolio(paths, out_dir, as_json, as_of, strict, jobs, _say))


@main.command("new-template")
@click.option("-o", "--output", "path", type=click.Path(path_type=Path), required=True,
              help="Where to write the blank workbook (.xlsx).")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@reported
def new_template(path: Path, force: bool) -> None:
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
        write_template(tmp, default_kit())
    _say(f"wrote {path}")


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
@click.option("--insecure-no-token", is_flag=True, show_envvar=True, envvar="ACCOUNTPLAN_INSECURE_NO_TOKEN",
              help="Listen beyond this machine without a token (only behind a proxy that checks who comes in).")
@reported
def serve(host: str, port: int, jobs: int | None, queue: int, time_limit: float, max_upload_mb: float,
          keep_minutes: float, token: str | None, insecure_no_token: bool) -> None:
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
                        insecure_no_token=insecure_no_token)
        config.check_exposure()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(config), host=host, port=port, access_log=False, server_header=False, log_level="info")



if __name__ == "__main__":
    main()
