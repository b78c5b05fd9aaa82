"""Helpers of the web tests that must be importable by name.

`misbehave` is put in a worker process in place of the real job (`Config(job=misbehave)`): the worker
imports it as `web_hooks:misbehave`, so it lives in a module, not in the test file. It acts on the
uploaded file's name and otherwise runs the real job. `served(app)` runs an app on a real uvicorn
server on a free loopback port, in a thread, for the length of a `with` block.
"""
from __future__ import annotations

import contextlib
import os
import threading
import time

from generator.web import worker

SECRET = "Confidential plan text 4711"


def misbehave(job, kit, scratch):
    """`crash*`: the worker dies mid-job; `slow*`: it takes far longer than any test's time limit;
    `raise*`: the job raises an exception whose message must not reach the log. Else the real job."""
    if job.name.startswith("crash"):
        os._exit(70)
    if job.name.startswith("slow"):
        time.sleep(60)
    if job.name.startswith("raise"):
        raise RuntimeError(SECRET)
    return worker.run(job, kit, scratch)


@contextlib.contextmanager
def served(app, start_timeout: float = 30):
    """The base URL of `app` served by uvicorn on 127.0.0.1 (a port the system picks); stopped at the end."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", access_log=False,
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn-under-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
