"""The embedded demo (SQLite, filesystem broker) under load: eight citizens
submitting at once while a real Celery worker renders PDFs and delivers, on a
fresh SQLite file under a temporary var/. Nothing may fail with "database is
locked", in the web requests or in the worker, and every step gets done."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARALLEL = 8  # the issue asks for at least six at once
ROUNDS = 2


def _demo_env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        {
            "VAR_DIR": str(var),
            "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
            "CELERY_BROKER_URL": "filesystem://",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PROCESSING_SWEEP_GRACE": "1",
        }
    )
    env.pop("PRIVATE_FILES_ROOT", None)
    env.pop("MEDIA_ROOT", None)
    return env


def _states(db: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return dict(conn.execute("SELECT state, count(*) FROM submissions_processingstep GROUP BY state").fetchall())


@pytest.mark.slow
def test_concurrent_citizens_and_a_worker_on_sqlite_see_no_errors(tmp_path: Path) -> None:
    var = tmp_path / "var"
    env = _demo_env(var)
    for command in (["migrate", "--noinput", "-v", "0"], ["demo", "--force"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
        )
    log = tmp_path / "worker.log"
    with log.open("wb") as log_file:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-B", "-Q", "default,pdf,delivery",
             "-c", "2", "-l", "INFO", "--schedule", str(var / "celerybeat-schedule"), "-n", "sqlite@%h"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text(errors="replace") and worker.poll() is None:
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        result_file = tmp_path / "result.json"
        citizens = subprocess.run(
            [sys.executable, "-m", "tests.deploy.sqlite_citizens", str(PARALLEL), str(ROUNDS), str(result_file)],
            cwd=ROOT, env=env, capture_output=True, timeout=600,
        )  # fmt: skip
        assert citizens.returncode == 0, citizens.stderr.decode(errors="replace")[-3000:]
        result = json.loads(result_file.read_text())
        assert result["errors"] == []
        assert len(result["submitted"]) == PARALLEL * ROUNDS

        db = var / "db.sqlite3"
        deadline = time.monotonic() + 300
        while (states := _states(db)).keys() - {"done"}:
            assert "failed" not in states, (states, log.read_text(errors="replace")[-3000:])
            assert time.monotonic() < deadline, (states, log.read_text(errors="replace")[-3000:])
            time.sleep(0.5)
        assert states["done"] >= PARALLEL * ROUNDS  # at least a PDF per submission
    finally:
        worker.terminate()
        worker.wait(30)
    output = log.read_text(errors="replace")
    assert "database is locked" not in output
    assert "OperationalError" not in output
    assert not (ROOT / "control").exists()  # the broker's control tables stay under var/
