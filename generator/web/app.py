"""The web page for reps and its API, as a Starlette application: `create_app(config)`.

An application factory: nothing is configured at import, every setting comes in the `Config` value,
and one process may hold several apps side by side (the tests do). The routes:

    GET  /                  the page: the upload form and a link to the blank template
    POST /  and  /check     the page's form (multipart, no JavaScript needed): the results page
    GET  /download/L/W      an output behind the results page (W: deck, document, workbook or all)
    POST /api/validate      the report, exactly as `accountplan validate --json` prints it
    POST /api/build         a zip of the three outputs and report.json
    GET  /api/template      the blank template
    GET  /healthz           {"status": "ok", "version": ...}
    GET  /signin, POST      the page's sign-in when an access token is set

Every check and build runs in a worker process (`worker.Pool`). Nothing of a plan is logged or
written to the server's disk: uploads are read into memory, outputs held in memory for the page's
download links (an unguessable link, dropped after `keep_seconds`).
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import hashlib
import hmac
import io
import json
import logging
import re
import secrets
import time
import traceback
import unicodedata
import zipfile
from collections import OrderedDict
from pathlib import Path
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request, cookie_parser
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import __version__
from ..pipeline import OUTPUTS
from .config import MB, Config
from .upload import UploadError, read_form
from .worker import (BUILD, OTHER_TEMPLATE, TEMPLATE, VALIDATE, Busy, Job, JobFailed, Pool, TimedOut, WorkerCrashed,
                     describe)
from ..records import record

log = logging.getLogger("accountplan.web")

HERE = Path(__file__).resolve().parent
COOKIE = "accountplan_access"

OUTPUT_LABELS = {"deck": "Review deck", "document": "Plan document", "workbook": "Checked workbook"}
OUTPUT_KINDS = {"deck": "PowerPoint", "document": "Word", "workbook": "Excel"}
MEDIA_TYPES = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}

TRUE, FALSE = ("1", "true", "on", "yes"), ("", "0", "false", "off", "no")


def create_app(config: Config | None = None) -> Starlette:
    """The application for `config` (the defaults when None). Its worker processes start with the
    application's lifespan (uvicorn, or `with TestClient(app)`) and stop with it."""
    return Site(config or Config()).app


class Failure(Exception):
    """A request answered with an error status and one sentence (JSON for the API, the page otherwise)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None, note: str = ""):
        super().__init__(message)
        self.status, self.message, self.headers, self.note = status, message, headers or {}, note


# Outputs held for the page's download links ------------------------------------------------------

@record(frozen=False)
class Bundle:
    stem: str
    outputs: list[tuple[str, bytes]]   # (file name, bytes) in OUTPUTS' order
    report: bytes                      # report.json
    as_of: dt.date
    expires: float
    upgraded: tuple[str, bytes] | None = None   # the plan moved into the current template (file name, bytes)

    @property
    def size(self) -> int:
        extra = len(self.upgraded[1]) if self.upgraded else 0
        return sum(len(data) for _, data in self.outputs) + len(self.report) + extra

    def file(self, which: str) -> tuple[str, bytes] | None:
        if which == "all":
            return f"{self.stem}-outputs.zip", bundle_zip(self.outputs, self.report, self.as_of)
        if which in OUTPUTS:
            return self.outputs[list(OUTPUTS).index(which)]
        if which == UPGRADED:
            return self.upgraded
        return None


class Held:
    """Outputs in memory under unguessable links, each for `seconds`, at most `max_bytes` in all."""

    def __init__(self, seconds: float, max_bytes: int, clock=time.monotonic):
        self.seconds, self.max_bytes, self.clock = seconds, max_bytes, clock
        self._items: OrderedDict[str, Bundle] = OrderedDict()

    def put(self, stem: str, outputs: list[tuple[str, bytes]], report: bytes, as_of: dt.date,
            upgraded: tuple[str, bytes] | None = None) -> str:
        self.purge()
        bundle = Bundle(stem, outputs, report, as_of, self.clock() + self.seconds, upgraded)
        while self._items and self.total + bundle.size > self.max_bytes:
            self._items.popitem(last=False)          # the oldest goes first
        link = secrets.token_urlsafe(32)
        self._items[link] = bundle
        return link

    def get(self, link: str) -> Bundle | None:
        self.purge()
        return self._items.get(link)

    @property
    def total(self) -> int:
        return sum(bundle.size for bundle in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def purge(self) -> None:
        now = self.clock()
        for link in [link for link, bundle in self._items.items() if bundle.expires <= now]:
            del self._items[link]

    def clear(self) -> None:
        self._items.clear()


def report_bytes(report: dict) -> bytes:
    """The report exactly as `accountplan validate --json` prints it."""
    return (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def bundle_zip(outputs: list[tuple[str, bytes]], report: bytes, as_of: dt.date) -> bytes:
    """The three outputs and report.json in one zip, every entry dated `as_of`: the same plan, the same bytes."""
    stamp = (max(as_of.year, 1980), as_of.month, as_of.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [*outputs, ("report.json", report)]:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def attachment(filename: str) -> str:
    """A Content-Disposition for any file name: an ASCII fallback and the real name (RFC 5987/6266)."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot:
        stem, suffix = filename, ""

    def ascii_of(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")

    fallback_stem, fallback_suffix = ascii_of(stem) or "download", ascii_of(suffix)
    fallback = fallback_stem + (f".{fallback_suffix}" if fallback_suffix else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# The plan moved into the current template, offered when it was made with another (`worker.upgraded`).
UPGRADED = "upgraded"
UPGRADED_LABEL = "Plan in the current template"


def with_upgrade_hints(page: dict, upgrade: dict) -> tuple[dict, dict]:
    """The page's findings and the upgrade's notes as the page says them to a rep who never runs a command:
    the hint of a plan made with another template (`accountplan upgrade` in the CLI's words) points at the
    download just above, and so does that of a name or table of this template the old plan lacks."""
    moved = (f"Download “{UPGRADED_LABEL}” above: every value moved into the current template. Check that "
             "nothing is listed as not placed, then go on in that file.")

    def hint(finding: dict) -> str:
        if finding["code"] in OTHER_TEMPLATE:
            return moved
        return finding["hint"].replace("or start from a fresh template.",
                                       f"or go on in “{UPGRADED_LABEL}” above, which has it.")

    sections = [{**s, "findings": [{**f, "hint": hint(f)} for f in s["findings"]]} for s in page["sections"]]
    notes = [n.replace("(`accountplan validate` names them)", "(drop the new file here to see them)")
             for n in upgrade["notes"]]
    return {**page, "sections": sections}, {**upgrade, "notes": notes}


# A refusal's hint as the CLI words it, and as the page says it to a rep who never opens a terminal.
PAGE_HINTS = (
    ("(a blank one comes from `accountplan new-template`)", "(the blank template is on this page)"),
    ("start from `accountplan new-template`", "start from the blank template on this page"),
    ("`accountplan new-template`", "the blank template on this page"),
    ("upgrade accountplan", "ask your sales-ops team to upgrade accountplan"),
)


def refusal_sentence(refused: dict) -> str:
    """A refusal in one sentence for the page: what is wrong; what to do."""
    message, hint = refused.get("message", "").strip(), refused.get("hint", "").strip()
    for cli, page in PAGE_HINTS:
        hint = hint.replace(cli, page)
    text = message[:1].upper() + message[1:] + (f"; {hint}" if hint else "")
    return text if text.endswith((".", "!", "?")) else text + "."


def size_text(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


# The application ---------------------------------------------------------------------------------

class Site:
    """The application and what it holds: its settings, its worker pool, the outputs held for links."""

    def __init__(self, config: Config):
        self.config = config
        kit_folder = config.kit.folder if config.kit is not None and config.kit.folder is not None else None
        self.pool = Pool(config.jobs, config.queue, config.time_limit, config.job, config.max_jobs_per_worker,
                         config.scratch, kit_folder=str(kit_folder) if kit_folder else None)
        self.held = Held(config.keep_seconds, config.keep_max)
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                                         autoescape=jinja2.select_autoescape(["html"]),
                                         undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        environment.filters["sentence"] = refusal_sentence
        self.templates = Jinja2Templates(env=environment)
        self.cookie = (hmac.new(config.token.encode(), b"accountplan page access", hashlib.sha256).hexdigest()
                       if config.token else None)
        self._template: bytes | None = None
        self._template_lock: asyncio.Lock | None = None
        routes = [
            Route("/", self.endpoint(self.page), methods=["GET", "POST"]),
            Route("/check", self.endpoint(self.page_check), methods=["POST"]),
            Route("/download/{link}/{which}", self.endpoint(self.download), methods=["GET"]),
            Route("/signin", self.endpoint(self.signin), methods=["GET", "POST"]),
            Route("/api/validate", self.endpoint(self.api_validate), methods=["POST"]),
            Route("/api/build", self.endpoint(self.api_build), methods=["POST"]),
            Route("/api/template", self.endpoint(self.api_template), methods=["GET"]),
            Route("/healthz", self.healthz, methods=["GET"]),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]
        self.signins = Attempts(config.signin_attempts, config.signin_window)
        middleware = [Middleware(Guard, site=self), Middleware(CheckHost, site=self),
                      Middleware(RequireToken, site=self), Middleware(LimitBody, site=self)]
        self.app = Starlette(routes=routes, middleware=middleware, lifespan=self.lifespan,
                             exception_handlers={HTTPException: self.http_error})
        self.app.state.site = self

    @contextlib.asynccontextmanager
    async def lifespan(self, _app):
        self._template_lock = asyncio.Lock()
        await self.pool.start()
        sweeper = asyncio.create_task(self._sweep())
        log.info("accountplan %s serving with %d worker(s), queue %d, time limit %g s, uploads up to %s%s",
                 __version__, self.config.jobs, self.config.queue, self.config.time_limit,
                 size_text(self.config.max_upload), ", access token required" if self.config.token else "")
        try:
            yield
        finally:
            sweeper.cancel()
            await self.pool.close()
            self.held.clear()

    async def _sweep(self) -> None:
        """Drop expired outputs even when nobody asks for anything."""
        while True:
            await asyncio.sleep(min(30.0, max(1.0, self.config.keep_seconds / 4)))
            self.held.purge()

    # Answers --------------------------------------------------------------------------------------

    def endpoint(self, handler):
        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except Failure as failure:
                note(request, failure.note or f"failed={failure.status}")
                return self.failure_response(request.scope, failure)
        return answer

    def failure_response(self, scope, failure: Failure) -> Response:
        if wants_json(scope):
            return JSONResponse({"error": failure.message}, failure.status, headers=failure.headers)
        return self.render(Request(scope), status=failure.status, error=failure.message, headers=failure.headers)

    async def http_error(self, request: Request, exc: HTTPException) -> Response:
        messages = {404: "There is nothing at this address.", 405: "This address does not take that method."}
        message = messages.get(exc.status_code, exc.detail or "The request could not be answered.")
        return self.failure_response(request.scope, Failure(exc.status_code, message, dict(exc.headers or {})))

    def render(self, request: Request, status: int = 200, headers: dict | None = None, name: str = "page.html",
               **context) -> Response:
        values = {"result": None, "downloads": [], "upgrade": None, "refused": None, "error": None, "filename": "",
                  "as_of": "", "strict": False, "version": __version__,
                  "max_upload": size_text(self.config.max_upload).replace(" ", "\u00a0"),
                  "max_upload_bytes": self.config.max_upload,
                  "keep_minutes": max(1, round(self.config.keep_seconds / 60)), "signed_in": True,
                  "base": request.scope.get("root_path", "").rstrip("/") + "/"}
        values.update(context)
        return self.templates.TemplateResponse(request, name, values, status_code=status, headers=headers)

    async def _run(self, job: Job) -> dict:
        """Run a job in the pool; every way it can fail becomes a Failure with its status."""
        try:
            return await self.pool.run(job)
        except Busy:
            raise Failure(503, "The server is busy checking other plans; try again in a few seconds.",
                          {"retry-after": str(self.config.retry_after)}, note="busy") from None
        except TimedOut:
            raise Failure(504, f"Checking this workbook took longer than {self.config.time_limit:g} seconds and was "
                               "stopped; try again, and if it happens again send the file to your sales-ops team.",
                          note="timed-out") from None
        except WorkerCrashed:
            log.error("a worker stopped during a %s", job.kind)
            raise Failure(500, "Internal error: the check stopped unexpectedly; try again, and if it happens "
                               "again send the file to your sales-ops team.", note="worker-crashed") from None
        except JobFailed as failed:
            log.error("a %s failed in its worker: %s", job.kind, failed)
            raise Failure(500, f"Internal error: the check failed ({failed}); please report it to your sales-ops "
                               "team.", note="job-failed") from None

    async def _job(self, request: Request, kind: str) -> tuple[Job, dict]:
        """The upload of `request` as a job, and the form's other fields."""
        try:
            upload = await read_form(request, self.config.max_upload)
        except UploadError as exc:
            raise Failure(400, f"The upload could not be read: {exc}.") from None
        if upload.data is None:
            raise Failure(400, "No workbook was sent: send the .xlsx file in the form field 'file'."
                          if wants_json(request.scope) else "Choose a workbook (.xlsx) to check.")
        scope_state(request)["received"] = len(upload.data)
        as_of_text = upload.fields.get("as_of", "").strip()
        try:
            as_of = dt.date.fromisoformat(as_of_text) if as_of_text else None
        except ValueError:
            raise Failure(400, f"as_of '{as_of_text[:40]}' is not a date like 2027-01-15.") from None
        strict_text = upload.fields.get("strict", "").strip().lower()
        if strict_text not in TRUE + FALSE:
            raise Failure(400, f"strict must be one of: {', '.join(v for v in TRUE + FALSE if v)}.")
        job = Job(kind, upload.data, upload.filename, as_of, strict_text in TRUE)
        return job, {"filename": upload.filename, "as_of": as_of_text, "strict": strict_text in TRUE}

    # The page -------------------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        if request.method == "POST":
            return await self.page_check(request)
        return self.render(request)

    async def page_check(self, request: Request) -> Response:
        job, form = await self._job(request, BUILD)
        answer = await self._run(dataclasses.replace(job, upgrade=True))
        if "refused" in answer:
            refused = answer["refused"]["refused"]
            note(request, f"refused={refused['code']}")
            return self.render(request, status=422, refused=refused, **form)
        page = answer["page"]
        note(request, f"errors={page['errors']} warnings={page['warnings']}")
        report = report_bytes(answer["report"])
        moved = answer.get("upgraded")
        link = self.held.put(answer["stem"], answer["outputs"], report, dt.date.fromisoformat(
            answer["report"]["plan"]["as_of"]), (moved["filename"], moved["data"]) if moved else None)
        downloads = [{"which": which, "label": OUTPUT_LABELS[which], "kind": OUTPUT_KINDS[which], "filename": name,
                      "size": size_text(len(data)), "href": f"download/{link}/{which}"}
                     for which, (name, data) in zip(OUTPUTS, answer["outputs"])]
        downloads.append({"which": "all", "label": "All three", "kind": "zip",
                          "filename": f"{answer['stem']}-outputs.zip",
                          "size": "", "href": f"download/{link}/all"})
        upgrade = None
        if moved:
            downloads.append({"which": UPGRADED, "label": UPGRADED_LABEL, "kind": "Excel",
                              "filename": moved["filename"], "size": size_text(len(moved["data"])),
                              "href": f"download/{link}/{UPGRADED}"})
            page, upgrade = with_upgrade_hints(page, moved["upgrade"])
        return self.render(request, result=page, downloads=downloads, upgrade=upgrade, **form)

    async def download(self, request: Request) -> Response:
        bundle = self.held.get(request.path_params["link"])
        if bundle is None:
            raise Failure(404, f"This download has expired (links last {max(1, round(self.config.keep_seconds / 60))} "
                               "minutes): upload the workbook again.", note="expired")
        found = bundle.file(request.path_params["which"])
        if found is None:
            raise Failure(404, "There is no such download.")
        name, data = found
        return file_response(name, data)

    async def signin(self, request: Request) -> Response:
        if not self.config.token:
            return RedirectResponse(request.scope.get("root_path", "").rstrip("/") + "/", 303)
        if request.method == "GET":
            return self.render(request, name="signin.html", signed_in=False)
        try:
            upload = await read_form(request, 0)
        except UploadError:
            upload = None
        given = (upload.fields.get("token", "") if upload else "").strip()
        client = request.client.host if request.client else ""
        wait = self.signins.wait(client)
        if wait:
            note(request, "signin=throttled")
            return self.render(request, status=429, headers={"retry-after": str(wait)}, name="signin.html",
                               signed_in=False, error=f"Too many wrong access tokens; try again in {wait} s.")
        if not hmac.compare_digest(given.encode(), self.config.token.encode()):
            self.signins.failed(client)
            note(request, "signin=refused")
            return self.render(request, status=401, name="signin.html", signed_in=False,
                               error="That access token is not right; ask your sales-ops team for it.")
        note(request, "signin=ok")
        response = RedirectResponse(request.scope.get("root_path", "").rstrip("/") + "/", 303)
        response.set_cookie(COOKIE, self.cookie, httponly=True, samesite="strict", path="/",
                            secure=request.url.scheme == "https")
        return response

    def signin_page(self, scope, message: str = "") -> Response:
        return self.render(Request(scope), status=401, name="signin.html", signed_in=False, error=message or None)

    # The API --------------------------------------------------------------------------------------

    async def _api_answer(self, request: Request, kind: str) -> dict | Response:
        """The upload's check or build (`kind`), its counts noted for the log; a refused file answered at once
        with 422 and the report `validate --json` gives it."""
        job, _ = await self._job(request, kind)
        answer = await self._run(job)
        if "refused" in answer:
            note(request, f"refused={answer['refused']['refused']['code']}")
            return json_response(answer["refused"], 422)
        note(request, f"errors={answer['page']['errors']} warnings={answer['page']['warnings']}")
        return answer

    async def api_validate(self, request: Request) -> Response:
        answer = await self._api_answer(request, VALIDATE)
        return answer if isinstance(answer, Response) else json_response(answer["report"], 200)

    async def api_build(self, request: Request) -> Response:
        answer = await self._api_answer(request, BUILD)
        if isinstance(answer, Response):
            return answer
        report = answer["report"]
        data = bundle_zip(answer["outputs"], report_bytes(report), dt.date.fromisoformat(report["plan"]["as_of"]))
        return file_response(f"{answer['stem']}-outputs.zip", data)

    async def api_template(self, request: Request) -> Response:
        async with self._template_lock:
            if self._template is None:
                self._template = (await self._run(Job(TEMPLATE)))["template"]
        return file_response("account-plan.xlsx", self._template)

    async def healthz(self, _request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__})


def json_response(data: dict, status: int) -> Response:
    return Response(report_bytes(data), status, media_type="application/json")


def file_response(name: str, data: bytes) -> Response:
    media = MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
    return Response(data, media_type=media, headers={"content-disposition": attachment(name)})


def wants_json(scope) -> bool:
    path = scope.get("path", "")
    return path.startswith("/api/") or path == "/healthz"


def scope_state(request_or_scope) -> dict:
    scope = request_or_scope.scope if isinstance(request_or_scope, Request) else request_or_scope
    return scope.setdefault("state", {})


def note(request: Request, text: str) -> None:
    """What the log line of this request says about the plan: counts or a refusal code, never its content."""
    scope_state(request)["note"] = text


# Middleware --------------------------------------------------------------------------------------

class Guard:
    """Outermost: the security headers on every answer, one log line per request (method, path, status,
    size, time and the plan's counts, nothing of its content), and a bug answered with 500 in one line."""

    def __init__(self, app, site: Site):
        self.app, self.site = app, site

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        sent = {"status": None}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not scope["path"].startswith("/static/"):
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            frames = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in
                                reversed(traceback.extract_tb(exc.__traceback__)[-6:]))
            log.error("internal error answering %s %s: %s (%s)", scope["method"], loggable(scope["path"]),
                      type(exc).__name__, frames)
            if sent["status"] is None:
                failure = Failure(500, f"Internal error ({describe(exc)}); please report it to your sales-ops team.")
                await self.site.failure_response(scope, failure)(scope, receive, send_with_headers)
            sent["status"] = sent["status"] or 500
        finally:
            state = scope.get("state", {})
            size = state.get("received", state.get("declared", 0))
            level = logging.DEBUG if scope["path"].startswith("/static/") or scope["path"] == "/healthz" \
                else logging.INFO
            log.log(level, "%s %s %s %s %.3f s%s", scope["method"], loggable(scope["path"]), sent["status"],
                    size_text(size) if size else "-", time.perf_counter() - start,
                    f" {state['note']}" if state.get("note") else "")


def loggable(path: str) -> str:
    """A request's path for the log: a download's link is a secret and stays out of it."""
    path = re.sub(r"^/download/[^/]+", "/download/…", path)[:200]
    return re.sub(r"[\x00-\x20\x7f-\x9f]", "?", path)          # one line: no control characters or spaces


class CheckHost:
    """A request whose Host header does not name this server gets 400 (`Config.host_allowed`): a page on
    another site cannot reach a server on 127.0.0.1 by pointing its own name at it."""

    def __init__(self, app, site: Site):
        self.app, self.site = app, site

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if self.site.config.host_allowed(host):
            return await self.app(scope, receive, send)
        scope_state(scope)["note"] = "host=refused"
        await JSONResponse({"error": "This server does not answer to that host name."}, 400)(scope, receive, send)


class Attempts:
    """Wrong access tokens per client in a sliding window: past `limit`, sign-in waits (429) until the oldest
    leaves the window. Bounded: the clients seen least recently are forgotten first."""

    CLIENTS = 4096

    def __init__(self, limit: int, window: float, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self.seen: OrderedDict[str, list[float]] = OrderedDict()

    def wait(self, client: str) -> int:
        """Seconds `client` must wait before trying again (0: it may try now)."""
        now = self.clock()
        times = [t for t in self.seen.get(client, ()) if now - t < self.window]
        if client in self.seen:
            self.seen[client] = times
        return 0 if len(times) < self.limit else max(1, int(times[0] + self.window - now + 0.999))

    def failed(self, client: str) -> None:
        self.seen.setdefault(client, []).append(self.clock())
        self.seen.move_to_end(client)
        while len(self.seen) > self.CLIENTS:
            self.seen.popitem(last=False)


class RequireToken:
    """With an access token set: the API wants `Authorization: Bearer <token>` (or the page's cookie), the
    page wants the cookie its sign-in form sets. /healthz, /static and /signin are open."""

    OPEN = ("/healthz", "/signin")

    def __init__(self, app, site: Site):
        self.app, self.site = app, site

    async def __call__(self, scope, receive, send):
        token = self.site.config.token
        path = scope.get("path", "")
        if scope["type"] != "http" or not token or path in self.OPEN or path.startswith("/static/") \
                or self._authorised(scope, token):
            return await self.app(scope, receive, send)
        scope_state(scope)["note"] = "unauthorised"
        if wants_json(scope):
            response = JSONResponse({"error": "An access token is required: send 'Authorization: Bearer <token>'."},
                                    401, headers={"www-authenticate": 'Bearer realm="accountplan"'})
        else:
            response = self.site.signin_page(scope)
        await response(scope, receive, send)

    def _authorised(self, scope, token: str) -> bool:
        headers = dict(scope["headers"])
        scheme, _, given = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
        cookies = cookie_parser(headers.get(b"cookie", b"").decode("latin-1"))
        return hmac.compare_digest(cookies.get(COOKIE, "").encode(), self.site.cookie.encode())


class BodyTooLarge(Exception):
    pass


class LimitBody:
    """A request body over `max_upload` gets 413 without being read: refused on its Content-Length
    before any byte is read, or as soon as the bytes counted while streaming pass the limit."""

    def __init__(self, app, site: Site):
        self.app, self.site = app, site

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.site.config.max_upload
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0:
                return await self._refuse(scope, receive, send, 400, "The request's Content-Length is not a number.")
            scope_state(scope)["declared"] = declared
            if declared > limit:
                return await self._too_large(scope, receive, send)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                scope_state(scope)["received"] = received
                if received > limit:
                    raise BodyTooLarge
            return message

        started = False

        async def tracking(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracking)
        except BodyTooLarge:
            if started:
                raise
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope, receive, send):
        limit = size_text(self.site.config.max_upload)
        message = (f"The upload is over {limit}, the most this server takes; a plan workbook is usually well "
                   "under 1 MB: send the .xlsx itself, not a folder or an archive.")
        await self._refuse(scope, receive, send, 413, message, note="too-large")

    async def _refuse(self, scope, receive, send, status: int, message: str, note: str = "") -> None:
        scope_state(scope)["note"] = note or f"failed={status}"
        response = self.site.failure_response(scope, Failure(status, message))
        response.headers["connection"] = "close"     # the rest of the body is never read
        await response(scope, receive, send)
