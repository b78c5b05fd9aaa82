"""The web page for reps and its API: in-process (Starlette's TestClient) and on a real uvicorn server.

Every held kind of input gets its status and JSON checked against the command line's; the build's zip
holds the CLI's outputs byte for byte; the limits (413, 503, 504, a crashed worker's 500) answer and the
server goes on; a headless Chromium drops the half-filled sample on the page and downloads the deck.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import datetime as dt
import io
import json
import logging
import os
import re
import shutil
import socket
import time
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx2
import openpyxl
import pytest
from click.testing import CliRunner
from conftest import harbor_data
from make_corpus import CODES, RECIPES, make_corpus
from starlette.testclient import TestClient
from web_hooks import SECRET, misbehave, served
from workbooks import write_plan

from generator import __version__
from generator.cli import main
from generator.web.app import Held, attachment, create_app, refusal_sentence
from generator.web.config import MB, Config

ROOT = Path(__file__).resolve().parent.parent
COBALT = ROOT / "samples" / "cobalt-ridge-health.xlsx"
AS_OF = "2026-11-25"
LOCAL = "http://127.0.0.1"          # the TestClient's Host: the name a server bound to this machine answers to
SKIPPED_CASES = ("a folder", "a missing path")          # no file to upload
REFUSED_CASES = [name for name in RECIPES if name not in SKIPPED_CASES]
SUFFIXES = ("-review.pptx", "-plan.docx", "-plan-checked.xlsx")


# Fixtures -------------------------------------------------------------------------------------------

@contextlib.contextmanager
def inside(folder: Path):
    """Run the CLI from `folder`, so it names the file as the upload does (its bare name)."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def cli(folder: Path, *args: str):
    with inside(folder):
        return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> Path:
    """A folder with the complete plan (harbor.xlsx) and the half-filled sample (cobalt-ridge-health.xlsx)."""
    folder = tmp_path_factory.mktemp("plans")
    write_plan(harbor_data(), folder / "harbor.xlsx")
    shutil.copy(COBALT, folder / COBALT.name)
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("corpus")
    return {case.name: case for case in make_corpus(folder) if case.name not in SKIPPED_CASES}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Config(jobs=2)), raise_server_exceptions=False, base_url=LOCAL) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def hooked():
    """One worker, one request may wait, a 1-second time limit, and a job that misbehaves on demand."""
    config = Config(jobs=1, queue=1, time_limit=1.0, job=misbehave)
    with TestClient(create_app(config), raise_server_exceptions=False, base_url=LOCAL) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def server():
    with served(create_app(Config(jobs=2))) as url:
        yield url


def upload(client, path: Path | None = None, url: str = "/api/validate", name: str | None = None,
           data: bytes | None = None, field: str = "file", **fields):
    content = data if data is not None else path.read_bytes()
    return client.post(url, files={field: (name or path.name, content)}, data=fields)


# The API: every held kind of input -----------------------------------------------------------------

@pytest.mark.parametrize("name", ["harbor.xlsx", COBALT.name])
def test_validate_answers_exactly_the_cli_json(client, plans, name):
    response = upload(client, plans / name, as_of=AS_OF)
    expected = cli(plans, "validate", name, "--json", "--as-of", AS_OF)
    assert response.status_code == 200                          # also for the plan with errors
    assert response.headers["content-type"] == "application/json"
    assert response.text == expected.stdout                     # the same text, key order and indentation
    report = response.json()
    assert report["plan"]["file"] == name and report["plan"]["as_of"] == AS_OF
    if name == "harbor.xlsx":
        assert expected.exit_code == 0 and report["findings"] == []
    else:
        assert expected.exit_code == 1
        stage = next(f for f in report["findings"] if f["code"] == "choice-invalid")
        assert (stage["severity"], stage["sheet"], stage["cell"]) == ("error", "Path to number", "D10")


def test_validate_takes_strict(client, plans):
    report = upload(client, plans / COBALT.name, as_of=AS_OF, strict="true").json()
    assert {f["severity"] for f in report["findings"]} == {"error"}
    assert report == json.loads(cli(plans, "validate", COBALT.name, "--json", "--as-of", AS_OF, "--strict").stdout)


@pytest.mark.parametrize("case", REFUSED_CASES)
def test_each_refused_kind_is_422_with_the_refusal_json(client, corpus, case):
    path = corpus[case].path
    expected = cli(path.parent, "validate", path.name, "--json")
    assert expected.exit_code == 2
    for url in ("/api/validate", "/api/build"):
        response = upload(client, path, url=url)
        assert response.status_code == 422, (case, url)
        body = response.json()
        assert body == {"plan": {"file": path.name}, "refused": body["refused"], "figures": None, "findings": []}
        assert body["refused"]["code"] == CODES[case]
        assert set(body["refused"]) == {"code", "message", "hint"}
        assert body == json.loads(expected.stdout)


@pytest.mark.parametrize("fields, files, message", [
    ({}, {"workbook": ("plan.xlsx", b"PK")}, "field 'file'"),
    ({"as_of": AS_OF}, None, "field 'file'"),
])
def test_no_file_or_a_wrong_field_name_is_400(client, fields, files, message):
    response = client.post("/api/validate", data=fields, files=files)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_bad_form_values_are_400(client, plans):
    assert upload(client, plans / "harbor.xlsx", as_of="31/12/2026").status_code == 400
    assert "not a date" in upload(client, plans / "harbor.xlsx", as_of="31/12/2026").json()["error"]
    assert upload(client, plans / "harbor.xlsx", strict="maybe").status_code == 400
    not_a_form = client.post("/api/validate", content=b'{"file": "x"}', headers={"content-type": "application/json"})
    assert not_a_form.status_code == 400 and "multipart/form-data" in not_a_form.json()["error"]
    two = client.post("/api/validate", files=[("file", ("a.xlsx", b"1")), ("file", ("b.xlsx", b"2"))])
    assert two.status_code == 400 and "one workbook" in two.json()["error"]


@pytest.mark.parametrize("name", ["harbor.xlsx", COBALT.name])
def test_build_zip_holds_the_clis_outputs_byte_for_byte(client, plans, tmp_path, name):
    response = upload(client, plans / name, url="/api/build", as_of=AS_OF)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    shutil.copy(plans / name, tmp_path / name)
    built = cli(tmp_path, "build", name, "-o", "out", "--as-of", AS_OF)
    assert built.exit_code in (0, 1), built.output
    written = sorted((tmp_path / "out").iterdir())
    assert len(written) == 3
    stem = written[0].name.split("-plan")[0].split("-review")[0]
    assert f'filename="{stem}-outputs.zip"' in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted([p.name for p in written] + ["report.json"])
        for path in written:
            assert archive.read(path.name) == path.read_bytes(), path.name
        report = archive.read("report.json").decode()
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 25, 0, 0, 0)}   # no clock in it
    assert report == cli(plans, "validate", name, "--json", "--as-of", AS_OF).stdout


def test_template_is_the_blank_workbook(client, tmp_path):
    response = client.get("/api/template")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="account-plan.xlsx"' in response.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "account_name" in book.defined_names
    assert client.get("/api/template").content == response.content


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "version": __version__}


def test_an_account_name_in_any_script_gets_a_safe_download_name(client, tmp_path):
    data = harbor_data()
    data["fields"]["account_name"] = '港湾物流 "Nord"; Café'
    write_plan(data, tmp_path / "plan.xlsx")
    response = upload(client, tmp_path / "plan.xlsx", url="/api/build", as_of=AS_OF)
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    fallback = re.search(r'filename="([^"]*)"', disposition).group(1)
    real = unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1))
    assert re.fullmatch(r"[A-Za-z0-9._-]+", fallback) and fallback.endswith(".zip")
    assert real.startswith("港湾物流") and real.endswith("-outputs.zip")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert {name.startswith("港湾物流") for name in archive.namelist() if name != "report.json"} == {True}


@pytest.mark.parametrize("name", ["港湾物流-review.pptx", 'a"b;c\r\nSet-Cookie: x=1.docx', "../../etc/passwd",
                                  "Café Ltd-plan.docx", "...", "\u202eexe.xlsx"])
def test_content_disposition_is_safe_for_any_name(name):
    header = attachment(name)
    assert "\r" not in header and "\n" not in header
    fallback = re.search(r'filename="([^"]*)"', header).group(1)
    assert re.fullmatch(r"[A-Za-z0-9._-]+", fallback)
    assert unquote(re.search(r"filename\*=UTF-8''(\S+)$", header).group(1)) == name


# Limits ------------------------------------------------------------------------------------------

def test_an_upload_over_the_limit_is_413_by_its_length(client):
    big = b"0" * (20 * MB + 1)
    response = client.post("/api/validate", files={"file": ("big.xlsx", big)})
    assert response.status_code == 413
    assert "20 MB" in response.json()["error"]
    page = client.post("/check", files={"file": ("big.xlsx", big)})
    assert page.status_code == 413 and "over 20 MB" in page.text


def test_a_streamed_upload_is_cut_off_at_the_limit_unread():
    """No Content-Length (chunked): the bytes are counted as they come and the rest is never asked for."""
    app = create_app(Config(jobs=1, max_upload=2 * MB))
    chunk, offered, sent = b"x" * (256 * 1024), 400, []   # 100 MB offered in all
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/validate", "raw_path": b"/api/validate", "root_path": "", "query_string": b"",
             "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"multipart/form-data; boundary=b")],
             "client": ("127.0.0.1", 1), "server": ("test", 80)}
    asked = 0

    async def receive():
        nonlocal asked
        asked += 1
        first = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n\r\n'
        return {"type": "http.request", "body": (first if asked == 1 else b"") + chunk, "more_body": asked < offered}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert asked <= 2 * MB // len(chunk) + 2                  # stopped just past 2 MB of the 100 MB offered


def test_the_real_server_answers_413_before_the_body_is_sent(server):
    host, port = urlsplit(server).hostname, urlsplit(server).port
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(b"POST /api/validate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           b"Content-Type: multipart/form-data; boundary=b\r\n"
                           + f"Content-Length: {25 * MB}\r\n\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer:                        # not one byte of the 25 MB was sent
            piece = connection.recv(65536)
            if not piece:
                break
            answer += piece
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_crashed_worker_answers_500_and_the_next_request_succeeds(hooked, plans, caplog):
    with caplog.at_level(logging.INFO, logger="accountplan.web"):
        crashed = upload(hooked, plans / COBALT.name, name="crash.xlsx")
        assert crashed.status_code == 500
        assert "\n" not in crashed.json()["error"] and "Internal error" in crashed.json()["error"]
        assert upload(hooked, plans / COBALT.name, as_of=AS_OF).status_code == 200
        raised = upload(hooked, plans / COBALT.name, name="raise.xlsx", url="/check")
        assert raised.status_code == 500 and "RuntimeError" in raised.text and SECRET not in raised.text
        assert upload(hooked, plans / COBALT.name, as_of=AS_OF).status_code == 200
    assert SECRET not in caplog.text


def test_a_build_past_the_time_limit_is_504_and_the_server_goes_on(hooked, plans):
    start = time.monotonic()
    response = upload(hooked, plans / COBALT.name, name="slow.xlsx", url="/api/build")
    assert response.status_code == 504 and "1 seconds" in response.json()["error"]
    assert time.monotonic() - start < 10
    assert upload(hooked, plans / COBALT.name, as_of=AS_OF).status_code == 200


def test_a_full_queue_is_503_with_retry_after(hooked, plans):
    """One worker busy with a slow build, one request waiting: the next is turned away at once."""
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        slow = pool.submit(upload, hooked, plans / COBALT.name, name="slow.xlsx")
        time.sleep(0.3)
        waiting = pool.submit(upload, hooked, plans / COBALT.name)
        time.sleep(0.3)
        start = time.monotonic()
        busy = upload(hooked, plans / COBALT.name)
        assert time.monotonic() - start < 0.5
        assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
        assert slow.result().status_code == 504
        assert waiting.result().status_code == 200


def test_held_outputs_expire_and_the_oldest_go_first():
    now = [0.0]
    held = Held(seconds=60, max_bytes=1000, clock=lambda: now[0])
    first = held.put("a", [("a.pptx", b"x" * 400)], b"{}", dt.date(2026, 1, 1))
    second = held.put("b", [("b.pptx", b"x" * 400)], b"{}", dt.date(2026, 1, 1))
    assert held.get(first) and held.get(second) and len(first) >= 40
    third = held.put("c", [("c.pptx", b"x" * 400)], b"{}", dt.date(2026, 1, 1))
    assert held.get(first) is None and held.get(second) and held.get(third)   # over 1000 bytes: the oldest went
    now[0] = 61
    assert held.get(second) is None and held.get(third) is None and len(held) == 0


# The page without JavaScript -------------------------------------------------------------------

def test_the_page_offers_the_form_and_the_template(client):
    page = client.get("/").text
    assert '<form id="upload"' in page and 'action="/check"' in page and 'enctype="multipart/form-data"' in page
    assert '<label for="file"' in page and 'id="file" name="file" type="file"' in page
    assert 'href="/api/template"' in page
    assert "<script src=" in page and not re.search(r"<script(?![^>]*\bsrc=)", page)   # no inline script
    assert not re.search(r"\sstyle=", page) and "<style" not in page                   # no inline style


def test_the_results_page_shows_figures_findings_and_downloads(client, plans):
    response = upload(client, plans / COBALT.name, url="/check", as_of=AS_OF)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "Cobalt Ridge Health" in page and "2 errors to fix" in page
    for label in ("Position", "Annual target", "Secured", "Gap to target", "Pipeline coverage", "Complete"):
        assert f"<dt>{label}</dt>" in page
    assert "$900,000" in page and "58%" in page
    findings = re.findall(r'<li class="finding (\w+)">.*?<span class="where">([^<]*)</span>', page, re.S)
    assert len(findings) == 21
    assert findings[0] == ("error", "Path to number!D10") and findings[1][0] == "error"
    assert "Did you mean &#39;Secured&#39;?" in page                                    # the hint, escaped
    links = re.findall(r'href="/(download/[\w-]+/(\w+))"', page)
    assert [which for _, which in links] == ["deck", "document", "workbook", "all"]
    deck = client.get("/" + links[0][0])
    assert deck.status_code == 200 and deck.content.startswith(b"PK")
    assert deck.headers["content-type"].endswith("presentationml.presentation")
    assert "cobalt-ridge-health-review.pptx" in deck.headers["content-disposition"]
    everything = client.get("/" + links[3][0])
    with zipfile.ZipFile(io.BytesIO(everything.content)) as archive:
        assert len(archive.namelist()) == 4 and archive.read("cobalt-ridge-health-review.pptx") == deck.content
    assert client.get("/download/not-a-link/deck").status_code == 404
    assert client.get("/" + links[0][0].replace("/deck", "/secrets")).status_code == 404


def test_a_refused_file_gets_one_sentence_saying_what_to_do(client, corpus):
    response = upload(client, corpus["legacy .xls"].path, url="/check")
    assert response.status_code == 422
    assert ("This is a legacy Excel 97-2003 workbook (.xls); open it in Excel and save it as Excel Workbook "
            "(.xlsx).") in response.text
    assert "harbor.xls cannot be checked" in response.text
    hint = "give the .xlsx account plan (a blank one comes from `accountplan new-template`)"
    assert refusal_sentence({"message": "this is a PDF document, not an Excel workbook", "hint": hint}) \
        == "This is a PDF document, not an Excel workbook; give the .xlsx account plan (the blank template is on " \
           "this page)."


def test_the_page_asks_for_a_file(client):
    response = client.post("/check", files={"file": ("", b"")}, data={"as_of": ""})
    assert response.status_code == 400 and "Choose a workbook" in response.text


def test_every_answer_carries_the_security_headers(client):
    answers = [client.get("/"), client.get("/static/app.css"), client.get("/healthz"), client.get("/nowhere"),
               client.post("/api/validate", files={"nope": ("x", b"")})]
    for response in answers:
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        csp = response.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert answers[3].status_code == 404 and "text/html" in answers[3].headers["content-type"]
    assert client.get("/api/nowhere").json() == {"error": "There is nothing at this address."}


def test_the_log_says_sizes_times_and_counts_never_the_plan(client, plans, caplog):
    with caplog.at_level(logging.INFO, logger="accountplan.web"):
        upload(client, plans / COBALT.name, url="/check", as_of=AS_OF)
        upload(client, plans / COBALT.name, as_of=AS_OF)
        client.get("/forged%0A2026-01-01 INFO accountplan.web: GET / 200")
    lines = [r.getMessage() for r in caplog.records if r.name == "accountplan.web"]
    assert all("\n" not in line for line in lines)                         # a path cannot forge a log line
    assert any(re.fullmatch(r"POST /check 200 \d+ KB [\d.]+ s errors=2 warnings=19", line) for line in lines), lines
    assert any(line.startswith("POST /api/validate 200 ") for line in lines)
    for secret in ("Cobalt", "cobalt", "Won", "Helen Marsh", "Telehealth", "D10"):
        assert secret not in caplog.text


# The access token --------------------------------------------------------------------------------

def test_a_token_guards_the_api_and_the_page(plans):
    token = "team-token-0123456789abcdef"
    with TestClient(create_app(Config(jobs=1, token=token)), follow_redirects=False, base_url=LOCAL) as guarded:
        assert guarded.get("/healthz").status_code == 200
        refused = upload(guarded, plans / COBALT.name)
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
        wrong = guarded.post("/api/validate", files={"file": ("x.xlsx", b"")}, headers={"authorization": "Bearer no"})
        assert wrong.status_code == 401
        allowed = guarded.post("/api/validate", files={"file": (COBALT.name, COBALT.read_bytes())},
                               headers={"authorization": f"Bearer {token}"})
        assert allowed.status_code == 200
        page = guarded.get("/")
        assert page.status_code == 401 and 'name="token"' in page.text and 'type="password"' in page.text
        assert guarded.post("/signin", data={"token": "wrong"}).status_code == 401
        signed_in = guarded.post("/signin", data={"token": token})
        assert signed_in.status_code == 303
        cookie = signed_in.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and token not in cookie
        assert guarded.get("/").status_code == 200 and '<form id="upload"' in guarded.get("/").text
        assert upload(guarded, plans / COBALT.name, url="/check").status_code == 200


def test_wrong_tokens_past_the_limit_wait_their_turn():
    token = "team-token-0123456789abcdef"
    config = Config(jobs=1, token=token, signin_attempts=3, signin_window=60)
    with TestClient(create_app(config), follow_redirects=False, base_url=LOCAL) as guarded:
        assert [guarded.post("/signin", data={"token": f"guess-{i}"}).status_code for i in range(3)] == [401] * 3
        throttled = guarded.post("/signin", data={"token": token})           # even the right one, for now
        assert throttled.status_code == 429 and 1 <= int(throttled.headers["retry-after"]) <= 60
        assert "Too many wrong access tokens" in throttled.text


def test_attempts_leave_the_window_and_clients_are_counted_apart():
    from generator.web.app import Attempts

    now = [0.0]
    attempts = Attempts(2, 60, clock=lambda: now[0])
    attempts.failed("a")
    attempts.failed("a")
    assert attempts.wait("a") == 60 and attempts.wait("b") == 0
    now[0] = 30.5
    assert attempts.wait("a") == 30
    now[0] = 60.0
    assert attempts.wait("a") == 0


@pytest.mark.parametrize("host, allowed", [("127.0.0.1:8000", True), ("localhost", True), ("[::1]:8000", True),
                                           ("LOCALHOST:80", True), ("evil.example", False),
                                           ("127.0.0.1.evil.example:8000", False), ("", False)])
def test_bound_to_this_machine_it_answers_only_to_this_machines_names(host, allowed):
    with TestClient(create_app(Config(jobs=1)), base_url=LOCAL) as local:
        response = local.get("/healthz", headers={"host": host})
    assert (response.status_code == 200) is allowed
    if not allowed:
        assert response.status_code == 400 and response.json() == {
            "error": "This server does not answer to that host name."}


def test_allowed_hosts_name_the_server_behind_a_proxy():
    config = Config(host="0.0.0.0", token="x" * 16, allowed_hosts=("plans.example.com",))
    assert config.host_allowed("plans.example.com") and config.host_allowed("Plans.Example.com:443")
    assert not config.host_allowed("other.example.com") and not config.host_allowed("127.0.0.1")
    assert Config(host="0.0.0.0", token="x" * 16).host_allowed("anything.example")     # no list: any name


def test_no_token_no_listening_beyond_this_machine():
    for host in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        Config(host=host).check_exposure()
    with pytest.raises(ValueError, match="without an access token"):
        Config(host="0.0.0.0").check_exposure()
    Config(host="0.0.0.0", token="x" * 16).check_exposure()
    Config(host="0.0.0.0", insecure_no_token=True).check_exposure()
    with pytest.raises(ValueError, match="at least 16"):
        Config(token="short")
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"], env={"ACCOUNTPLAN_TOKEN": ""})
    assert result.exit_code == 2 and "without an access token" in result.output


# The real server -------------------------------------------------------------------------------

def test_the_real_server_answers_uploads_at_once_correctly(server, plans):
    """A small bounded load: 16 uploads of the half-filled sample, 4 at a time, every answer right."""
    expected = cli(plans, "validate", COBALT.name, "--json", "--as-of", AS_OF).stdout
    data = (plans / COBALT.name).read_bytes()

    def one(_):
        with httpx2.Client(base_url=server, timeout=30) as http:
            response = http.post("/api/validate", files={"file": (COBALT.name, data)}, data={"as_of": AS_OF})
        return response.status_code, response.text

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(one, range(16)))
    assert answers == [(200, expected)] * 16


# A real browser --------------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None and not os.environ.get("CI"),
                                    reason="chromium is not installed (apt-get install chromium)")


@needs_chromium
def test_a_rep_drops_the_sample_sees_the_cells_and_downloads_the_deck(server, tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1300}, accept_downloads=True)
            problems = []
            page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(server + "/")
            page.evaluate(f"document.getElementById('as_of').value = '{AS_OF}'")   # the same page every run
            # Drop the workbook on the drop zone, as a rep drags it from their desktop.
            page.evaluate("""([name, bytes]) => {
                const file = new File([new Uint8Array(bytes)], name,
                    {type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"});
                const transfer = new DataTransfer();
                transfer.items.add(file);
                const zone = document.getElementById("drop-zone");
                for (const type of ["dragover", "drop"]) {
                    zone.dispatchEvent(new DragEvent(type, {dataTransfer: transfer, bubbles: true, cancelable: true}));
                }
            }""", [COBALT.name, list(COBALT.read_bytes())])
            page.wait_for_selector("#results:not(.empty)", timeout=15_000)
            assert page.locator("#results .finding.error").count(), page.locator("#results").inner_text()
            assert page.url == server + "/"                                 # answered in place, by the script
            assert page.evaluate("document.activeElement.id") == "results-title"
            first = page.locator("#results .finding").first
            assert first.locator(".where").inner_text() == "Path to number!D10"
            assert "'Won' is not one of" in first.locator(".message").inner_text()
            assert "Did you mean 'Secured'?" in first.locator(".hint").inner_text()
            assert page.locator("#results .finding").count() == 21
            assert page.locator(".figure", has_text="Gap to target").locator("dd").inner_text().startswith("$")
            page.evaluate("window.scrollTo(0, 0)")
            (ROOT / "docs").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "docs" / "web-page.png"))
            with page.expect_download() as download_info:
                page.get_by_role("link", name=re.compile("Review deck")).click()
            download = download_info.value
            assert download.suggested_filename == "cobalt-ridge-health-review.pptx"
            deck = tmp_path / download.suggested_filename
            download.save_as(deck)
            with zipfile.ZipFile(deck) as archive:
                assert "ppt/presentation.xml" in archive.namelist()

            # Without JavaScript the same form posts and the server renders the results page.
            plain = browser.new_page(java_script_enabled=False)
            plain.goto(server + "/")
            plain.set_input_files("#file", str(COBALT))
            plain.get_by_role("button", name="Check the plan").click()
            plain.wait_for_selector("#results:not(.empty)", timeout=15_000)
            assert plain.url == server + "/check"
            assert plain.locator("#results .finding .where").first.inner_text() == "Path to number!D10"
            assert problems == []
        finally:
            browser.close()


# A plan made with another template ------------------------------------------------------------------

@pytest.fixture(scope="module")
def northwind():
    """The page as a team with the example kit runs it."""
    from generator.kit import load_kit

    config = Config(jobs=1, kit=load_kit(ROOT / "kits" / "northwind"))
    with TestClient(create_app(config), raise_server_exceptions=False, base_url=LOCAL) as test_client:
        yield test_client


def test_a_plan_made_with_another_template_is_offered_moved_into_this_one(northwind, plans):
    """A rep never runs `accountplan upgrade`: the page offers the plan moved into the team's template, says
    what moved and what did not, and its hint points at the download, not at a command."""
    from generator.kit import load_kit
    from generator.pipeline import check

    response = upload(northwind, plans / COBALT.name, url="/check", as_of=AS_OF)
    assert response.status_code == 200, response.text
    page = response.text
    assert "accountplan upgrade" not in page and "--kit" not in page
    assert "made with the built-in template; this page checks plans in the Northwind Sales kit (version 2027.1)" in page
    assert "every value found its place" in page and "accountplan validate" not in page
    assert "or go on in “Plan in the current template” above, which has it." in page      # its own fields
    assert "Download “Plan in the current template” above" in page
    links = dict((which, href) for href, which in re.findall(r'href="/(download/[\w-]+/(\w+))"', page))
    assert list(links) == ["deck", "document", "workbook", "all", "upgraded"]
    moved = northwind.get("/" + links["upgraded"])
    assert moved.status_code == 200 and moved.headers["content-type"].endswith("spreadsheetml.sheet")
    assert "cobalt-ridge-health-current-template.xlsx" in moved.headers["content-disposition"]
    kit = load_kit(ROOT / "kits" / "northwind")
    before, after = check(COBALT, dt.date(2026, 11, 25), kit=kit), check(moved.content, dt.date(2026, 11, 25), kit=kit)
    assert "kit-other" in {f.code for f in before.findings} and "kit-other" not in {f.code for f in after.findings}
    assert after.plan.account_name == "Cobalt Ridge Health" and "Partners" in after.plan.workbook.sheetnames
    for key in ("annual_target", "secured", "weighted_open", "gap_to_target"):
        assert getattr(after.figures, key) == getattr(before.figures, key), key
    fields, rows = re.search(r"into it: (\d+) fields? and (\d+) rows?", page).groups()
    assert int(fields) > 10 and int(rows) > 5


def test_what_finds_no_place_in_this_template_is_listed_on_the_page(client, tmp_path):
    """A plan of the example kit dropped on a page of the built-in kit: its partners have no place in the
    built-in template, and the page lists each, never leaving one out silently."""
    from generator.kit import load_kit
    from generator.plan.template import write_filled

    data = harbor_data()
    data["lists"]["Partners"] = [{"Partner": "Acme Integrations", "Role": "Integrator", "Value influenced": 120000}]
    plan = write_filled(data, tmp_path / "northwind-plan.xlsx", kit=load_kit(ROOT / "kits" / "northwind"))
    page = upload(client, plan, url="/check", as_of=AS_OF).text
    assert "made with the Northwind Sales kit (version 2027.1); this page checks plans in the built-in template" in page
    not_placed = re.findall(r"<li>([^<]*)</li>", page.split('class="not-placed"')[1].split("</ul>")[0])
    assert not_placed and any("Partners" in item for item in not_placed), not_placed
    assert re.search(r"but \d+ items? found no place in it", page)
    assert 'data-which="upgraded"' in page


def test_only_the_pages_build_moves_a_plan_into_the_current_template(tmp_path):
    """The API's build answers what it always has; the move is made for the page's build alone."""
    from generator.kit import load_kit
    from generator.web.worker import BUILD, Job, run

    kit = load_kit(ROOT / "kits" / "northwind")
    job = Job(BUILD, COBALT.read_bytes(), COBALT.name, dt.date(2026, 11, 25))
    assert "upgraded" not in run(job, kit, tmp_path)
    moved = run(dataclasses.replace(job, upgrade=True), kit, tmp_path)["upgraded"]
    assert moved["filename"] == "cobalt-ridge-health-current-template.xlsx" and moved["data"].startswith(b"PK")
    assert moved["upgrade"]["not_placed"] == [] and moved["upgrade"]["rows"] > 0
