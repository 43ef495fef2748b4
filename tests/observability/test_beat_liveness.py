"""Beat proves it is alive by touching BEAT_HEARTBEAT_FILE on every scheduler
tick; the beat container's liveness probe reads the file's age."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from config.celery import HeartbeatScheduler
from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def test_every_tick_touches_the_heartbeat_file(tmp_path: Path, settings: Any) -> None:
    settings.BEAT_HEARTBEAT_FILE = tmp_path / "run" / "beat-heartbeat"
    scheduler = HeartbeatScheduler(app=celery_app, schedule_filename=str(tmp_path / "schedule"), lazy=False)
    try:
        interval = scheduler.tick()
        assert settings.BEAT_HEARTBEAT_FILE.exists()
        first = settings.BEAT_HEARTBEAT_FILE.stat().st_mtime_ns
        os.utime(settings.BEAT_HEARTBEAT_FILE, ns=(first - 10**10, first - 10**10))
        scheduler.tick()
        assert settings.BEAT_HEARTBEAT_FILE.stat().st_mtime_ns > first - 10**10
    finally:
        scheduler.close()
    assert interval <= 30  # beat_max_loop_interval: the file is never older than that


@pytest.mark.slow
def test_a_real_beat_process_writes_the_file(tmp_path: Path) -> None:
    heartbeat = tmp_path / "beat-heartbeat"
    env = {
        **os.environ,
        "BEAT_HEARTBEAT_FILE": str(heartbeat),
        # Whatever beat sends goes nowhere: this test is about beat itself.
        "CELERY_BROKER_URL": "memory://",
    }
    log = tmp_path / "beat.log"
    with (
        log.open("w") as stderr,
        subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "config",
                "beat",
                "--schedule",
                str(tmp_path / "schedule"),
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        ) as process,
    ):
        try:
            deadline = time.monotonic() + 60
            while not heartbeat.exists() and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(timeout=20)
    assert heartbeat.exists(), log.read_text()
