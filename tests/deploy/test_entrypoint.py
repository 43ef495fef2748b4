"""The entrypoint's heartbeat check, as the worker and beat probes run it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ENTRYPOINT = Path(__file__).resolve().parents[2] / "deploy" / "entrypoint.sh"


def check(kind: str, heartbeat: Path) -> int:
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "WORKER_HEARTBEAT_FILE": str(heartbeat),
        "BEAT_HEARTBEAT_FILE": str(heartbeat),
    }
    return subprocess.run([str(ENTRYPOINT), "check-heartbeat", kind], env=env, check=False).returncode


def test_script_is_valid_shell() -> None:
    assert subprocess.run(["sh", "-n", str(ENTRYPOINT)], check=False).returncode == 0
    assert os.access(ENTRYPOINT, os.X_OK)


def test_fresh_heartbeat_is_alive_stale_or_missing_is_not(tmp_path: Path) -> None:
    heartbeat = tmp_path / "heartbeat"
    for kind in ("worker", "beat"):
        assert check(kind, heartbeat) == 1  # never written
        heartbeat.touch()
        assert check(kind, heartbeat) == 0
        old = time.time() - 600
        os.utime(heartbeat, (old, old))
        assert check(kind, heartbeat) == 1
        heartbeat.unlink()
