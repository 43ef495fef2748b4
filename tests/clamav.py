"""A real clamd for the tests: Debian's clamav-daemon, started once per test
session on a unix socket in a temporary folder, with a signature database the
tests write (the EICAR test string as an .ndb signature). No freshclam, no
network, no shared daemon.

Use the ``clamd_address`` fixture (registered in tests/conftest.py through
pytest_plugins) and set settings.CLAMD_ADDRESS to it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sample_files import EICAR

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"
SIGNATURE = "Gemeinsam.Test.EICAR"


def _pong(path: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(2)
            conn.connect(path)
            conn.sendall(b"zPING\0")
            return conn.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def clamd_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CLAMD).exists():
        pytest.fail("clamd is missing: install Debian's clamav-daemon (scripts/system-deps.sh test does)")
    folder = tmp_path_factory.mktemp("clamd")
    database = folder / "db"
    database.mkdir()
    (database / "gemeinsam.ndb").write_text(f"{SIGNATURE}:0:*:{EICAR.hex()}\n")
    sock = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"DatabaseDirectory {database}",
                f"LocalSocket {sock}",
                f"LogFile {folder / 'clamd.log'}",
                "Bytecode no",
                "SelfCheck 0",
                "",
            ]
        )
    )
    process = subprocess.Popen([CLAMD, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _pong(str(sock)):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start: {log[-2000:]}")
            time.sleep(0.05)
        yield str(sock)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
