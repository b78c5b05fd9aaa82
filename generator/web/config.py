"""The server's settings as one value: every limit in one place, each with its default.

`accountplan serve` fills it from its options (each also read from an `ACCOUNTPLAN_*` environment
variable); tests build as many as they like. Nothing here imports the web libraries.
"""
from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from dataclasses import field
from typing import Any

from . import worker
from ..records import record

MB = 1024 * 1024
MIN_TOKEN_LENGTH = 16


def default_jobs() -> int:
    """One build at a time per processor the server may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@record
class Config:
    host: str = "127.0.0.1"
    port: int = 8000
    jobs: int = field(default_factory=default_jobs)   # worker processes: at most this many builds at once
    queue: int = 16                  # requests waiting for a worker beyond those; more get 503
    time_limit: float = 60.0         # seconds a check or build may take; past it the worker is killed: 504
    max_upload: int = 20 * MB        # bytes of a request body; more get 413, unread
    keep_seconds: float = 600.0      # how long the page's download links live
    keep_max: int = 256 * MB         # the most output bytes held for the page's links (oldest dropped first)
    token: str | None = None         # the shared access token; None: no token asked
    insecure_no_token: bool = False  # allow binding beyond loopback without a token
    retry_after: int = 5             # seconds a busy server (503) tells a client to wait
    max_jobs_per_worker: int = 500   # a worker is replaced after this many jobs (memory stays flat)
    scratch: str | None = None       # where workers render (default: /dev/shm if present, else the temp folder)
    job: Callable = worker.run       # what a worker runs for each request; tests put a hook here
    kit: Any = None                  # the kit (`generator.kit.Kit`, from a folder) every check and build is in;
                                     # None: the built-in one. Each worker loads it again from its folder.
    allowed_hosts: tuple[str, ...] = ()  # names the Host header may give; (): this machine's names when bound
                                         # to it (127.0.0.1, ::1, localhost), any name otherwise
    signin_attempts: int = 10        # wrong access tokens a client may try per `signin_window`; more get 429
    signin_window: float = 60.0      # seconds

    def __post_init__(self):
        if self.jobs < 1:
            raise ValueError("jobs must be at least 1")
        if self.queue < 0:
            raise ValueError("queue must be 0 or more")
        if self.time_limit <= 0:
            raise ValueError("the time limit must be more than 0 seconds")
        if self.max_upload < 1:
            raise ValueError("the upload limit must be more than 0")
        if self.signin_attempts < 1 or self.signin_window <= 0:
            raise ValueError("sign-in attempts and their window must be more than 0")
        if self.token is not None and len(self.token) < MIN_TOKEN_LENGTH:
            raise ValueError(f"the access token must have at least {MIN_TOKEN_LENGTH} characters "
                             "(make one with: python3 -c 'import secrets; print(secrets.token_urlsafe())')")

    @property
    def loopback_only(self) -> bool:
        """The server binds to this machine only (127.0.0.1, ::1 or localhost)."""
        return is_loopback(self.host)

    def host_allowed(self, host_header: str) -> bool:
        """Whether a request's Host header names this server. A page on another site can make a browser send
        requests to 127.0.0.1 under its own name (DNS rebinding): bound to this machine, only this machine's
        names are answered; `allowed_hosts`, when given, lists the names a proxy or DNS gives the server."""
        name = host_name(host_header)
        if self.allowed_hosts:
            return name in {host.lower() for host in self.allowed_hosts}
        return not self.loopback_only or is_loopback(name) or name == self.host.lower().strip("[]")

    def check_exposure(self) -> None:
        """Refuse to serve plans beyond this machine without a token, unless told to."""
        if not self.loopback_only and not self.token and not self.insecure_no_token:
            raise ValueError(f"refusing to listen on {self.host} without an access token: give --token (or "
                             "ACCOUNTPLAN_TOKEN), or --insecure-no-token when only a trusted proxy can reach the port")


def host_name(host_header: str) -> str:
    """The name in a Host header, without its port: `localhost:8000` -> `localhost`, `[::1]:80` -> `::1`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host[1:]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
