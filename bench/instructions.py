"""Instructions per request, counted by valgrind's callgrind: the step page GET
and a valid step POST of the Unterhaltsvorschuss next to the ceiling view, in
one Python process with the test client (full middleware, production
settings, the bench database). Instruction counts do not move with the
machine's load the way requests per second do, so these ratios are the ones
to compare between runs on a shared machine. They count our process only: the
PostgreSQL server's work for the queries (the step asks two, the ceiling one)
is not in them, which makes the HTTP ratios of bench/citizen.py a little
higher. Follows the bench module contract (bench/README.md).

Method: the child process (`python -m bench.instructions --child`) runs under
`valgrind --tool=callgrind --instr-atstart=no` (Django's start-up is not
instrumented); for each kind it warms up and says READY, and the parent
zeroes the counters (`callgrind_control --zero`), lets it run the batch and
dumps them (`--dump`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("step GET", "ceiling GET", "step POST", "ceiling POST")
Row = tuple[str, str, str]


def _ensure_valgrind() -> None:
    if shutil.which("valgrind") and shutil.which("callgrind_control"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "valgrind"], check=False, capture_output=True)
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        raise RuntimeError("valgrind is not installed (apt-get install valgrind)")


def _totals(dump: Path) -> int:
    match = re.search(r"^(?:totals|summary): (\d+)", dump.read_text(), re.M)
    if not match:
        raise RuntimeError(f"no instruction total in {dump.name}")
    return int(match.group(1))


def _control(pid: int, *args: str) -> None:
    subprocess.run(["callgrind_control", *args, str(pid)], check=True, capture_output=True, timeout=60)


def run() -> list[Row]:
    _ensure_valgrind()
    batch = int(os.environ.get("BENCH_INSTRUCTIONS_REQUESTS", "30"))
    out_dir = Path(tempfile.mkdtemp(prefix="gemeinsam-callgrind-"))
    command = [
        "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out_dir}/callgrind.out",
        sys.executable, "-m", "bench.instructions", "--child", str(batch),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    log = (out_dir / "child.log").open("w")
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True
    )
    assert child.stdin and child.stdout
    counts: dict[str, int] = {}
    try:
        for kind in KINDS:
            line = child.stdout.readline().strip()
            if line != f"READY {kind}":
                raise RuntimeError(f"the measuring process said {line!r} (log: {out_dir}/child.log)")
            if not counts:
                _control(child.pid, "--instr=on")  # on from here (Django's start-up was not counted)
            _control(child.pid, "--zero")
            child.stdin.write("go\n")
            child.stdin.flush()
            line = child.stdout.readline().strip()
            if line != f"DONE {kind}":
                raise RuntimeError(f"the measuring process said {line!r} during {kind} (log: {out_dir}/child.log)")
            before = set(out_dir.glob("callgrind.out*"))
            _control(child.pid, "--dump")
            dumps = _wait_for_dump(out_dir, before)
            counts[kind] = _totals(dumps)
        child.stdin.write("end\n")
        child.stdin.flush()
        child.wait(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
        log.close()
    per = {kind: counts[kind] / batch / 1e6 for kind in KINDS}
    method = f"callgrind, {batch} requests per kind after 5 warm-up, test client in one process"
    rows = [(f"instructions per {kind}", f"{per[kind]:.2f} M", method) for kind in KINDS]
    for page in ("GET", "POST"):
        ratio = per[f"ceiling {page}"] / per[f"step {page}"]
        rows.append((f"step {page} / ceiling (instructions)", f"{ratio:.2f}", "ratio of the rows above"))
    shutil.rmtree(out_dir, ignore_errors=True)
    return rows


def _wait_for_dump(out_dir: Path, before: set[Path], timeout: float = 60.0) -> Path:
    """callgrind writes the dump asynchronously to the control command."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = sorted(set(out_dir.glob("callgrind.out*")) - before)
        if new and new[-1].stat().st_size and "totals:" in new[-1].read_text():
            return new[-1]
        time.sleep(0.2)
    raise RuntimeError("callgrind wrote no dump")


# --- the measured process -------------------------------------------------------------------


def _child(batch: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import Client

    from bench.citizen import SERVICE, _form, _sample
    from bench.loadgen import hidden

    host = os.environ.get("BENCH_CITY_HOST", "giessen.localhost")
    steps, sample = _sample()
    client = Client(HTTP_HOST=host)
    client.post(f"/{SERVICE}/", {"action": "start"})
    first, second = f"/{SERVICE}/{steps[0]}/", f"/{SERVICE}/{steps[1]}/"
    page = client.get(first).content
    if client.post(first, _form(page, steps[0], sample.get(steps[0], {}))).status_code != 302:
        raise SystemExit("the first step was not accepted")
    size = len(client.get(second).content)
    form = _form(client.get(second).content, steps[1], sample.get(steps[1], {}))

    def step_post() -> Any:
        form["revision"] = hidden(client.get(second).content, "revision")  # not counted: see below
        return client.post(second, form)

    requests: dict[str, Callable[[], Any]] = {
        "step GET": lambda: client.get(second),
        "ceiling GET": lambda: client.get(f"/bench/ceiling/?size={size}"),
        "step POST": step_post,
        "ceiling POST": lambda: client.post("/bench/ceiling/?size=64", {"x": "1"}),
    }
    for kind in KINDS:
        one = requests[kind]
        for _ in range(5):
            one()
        if kind == "step POST":
            # The GET that reads the next revision would be counted too; read
            # them all first (each valid POST moves the revision by the same step).
            revisions = _revisions(client, second, form, batch)
            one = _replay(client, second, form, revisions)
        print(f"READY {kind}", flush=True)
        sys.stdin.readline()
        for _ in range(batch):
            response = one()
            if response.status_code not in (200, 302):
                raise SystemExit(f"{kind} answered {response.status_code}")
        print(f"DONE {kind}", flush=True)
    sys.stdin.readline()


def _revisions(client: Any, path: str, form: dict[str, str], batch: int) -> list[str]:
    from bench.loadgen import hidden

    current = int(hidden(client.get(path).content, "revision"))
    form["revision"] = str(current)
    if client.post(path, form).status_code != 302:
        raise SystemExit("a valid step POST was refused")
    step = int(hidden(client.get(path).content, "revision")) - current
    start = current + step
    return [str(start + i * step) for i in range(batch)]


def _replay(client: Any, path: str, form: dict[str, str], revisions: list[str]) -> Callable[[], Any]:
    pending = iter(revisions)

    def one() -> Any:
        form["revision"] = next(pending)
        return client.post(path, form)

    return one


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    _child(int(sys.argv[2]))
