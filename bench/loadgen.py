"""Load generators for the benchmark: wrk (Debian package) for GET requests when
it is installed, and a small closed-loop generator in Python (one OS process per
client, http.client, a new connection per request like gunicorn's sync workers
want) for everything wrk cannot script easily, such as wizard POSTs that must
carry the draft's current revision."""

from __future__ import annotations

import http.client
import math
import multiprocessing
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    method: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# --- a tiny HTTP client with a cookie jar ------------------------------------------


class Browser:
    """One citizen: cookies kept, CSRF token sent back, no redirects followed."""

    def __init__(self, base_url: str, host: str) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        self.address = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        self.host = host
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """`files`: field name -> (file name, content, content type), sent as multipart/form-data."""
        headers = {"Host": self.host, "Connection": "close", "User-Agent": "gemeinsam-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            headers["Referer"] = f"http://{self.host}{path}"
            if files:
                body, headers["Content-Type"] = multipart(form, files)
            else:
                body = urllib.parse.urlencode(form).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(*self.address, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _sep, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path)

    def post(
        self, path: str, form: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        return self.request("POST", path, form, files)


def multipart(form: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body (RFC 7578) and its Content-Type."""
    boundary = f"gemeinsam-bench-{os.getpid()}-{time.monotonic_ns()}"
    parts: list[bytes] = []
    for name, value in form.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def hidden(html: bytes, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"'.encode(), html)
    return match.group(1).decode() if match else ""


# --- closed-loop Python generator ---------------------------------------------------------

# A client function prepares its state once and returns a callable doing one
# measured request; it returns True when the response was the expected one.
ClientFactory = Callable[[int], Callable[[], bool]]


def _client_loop(factory: ClientFactory, index: int, start_at: float, stop_at: float, queue: Any) -> None:
    try:
        one = factory(index)
    except Exception as exc:
        queue.put(([], 1, f"setup failed: {exc!r}"))
        return
    while time.time() < start_at:
        time.sleep(0.001)
    latencies: list[float] = []
    errors = 0
    while time.time() < stop_at:
        began = time.perf_counter()
        ok = one()
        elapsed = time.perf_counter() - began
        if ok:
            latencies.append(elapsed)
        else:
            errors += 1
    queue.put((latencies, errors, ""))


def python_load(factory: ClientFactory, seconds: float, clients: int = CONCURRENCY) -> Result:
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    start_at = time.time() + 2.0 + clients * 0.2  # every client has prepared (draft, cookies)
    stop_at = start_at + seconds
    processes = [
        context.Process(target=_client_loop, args=(factory, i, start_at, stop_at, queue)) for i in range(clients)
    ]
    for process in processes:
        process.start()
    latencies: list[float] = []
    errors = 0
    problems: list[str] = []
    for _process in processes:
        found, failed, problem = queue.get(timeout=seconds + 120)
        latencies.extend(found)
        errors += failed
        if problem:
            problems.append(problem)
    for process in processes:
        process.join(timeout=10)
    if problems and not latencies:
        raise RuntimeError(problems[0])
    return Result(
        requests=len(latencies),
        errors=errors,
        seconds=seconds,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        method=f"Python closed loop, {clients} client processes, http.client, {seconds:.0f} s",
    )


# --- wrk ----------------------------------------------------------------------------------


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _wrk_ms(text: str) -> float:
    """wrk's "74.30ms", "812.00us", "1.20s", "1.01m" in ms; NaN for what wrk
    sometimes prints instead ("-nanus")."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk_get(url: str, host: str, cookie: str, seconds: float, clients: int = CONCURRENCY) -> Result:
    """One wrk run; wrk now and then prints a percentile as "-nanus": then it
    runs once more, and a second such run is a failure, not a row."""
    for _attempt in range(2):
        result = _wrk_once(url, host, cookie, seconds, clients)
        if not (math.isnan(result.p50_ms) or math.isnan(result.p99_ms)):
            return result
    raise RuntimeError(f"wrk printed no latency percentiles twice for {url}")


def _wrk_once(url: str, host: str, cookie: str, seconds: float, clients: int) -> Result:
    command = [
        "wrk", f"-t{min(clients, 4)}", f"-c{clients}", f"-d{int(seconds)}s", "--latency", "--timeout", "30s",
        "-H", f"Host: {host}", "-H", f"Cookie: {cookie}", url,
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _wrk_ms(re.search(r"50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _wrk_ms(re.search(r"99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = int(bad.group(1)) if bad else 0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sock:
        errors += sum(int(g) for g in sock.groups())
    return Result(
        requests=total - errors,
        errors=errors,
        seconds=total / rps if rps else seconds,
        p50_ms=p50,
        p99_ms=p99,
        method=f"wrk {clients} connections, {min(clients, 4)} threads, {seconds:.0f} s",
    )
