"""deploy/compose.yaml is valid against the Compose specification (the schema
check-jsonschema ships as vendor.compose-spec, offline) and has the one-host shape."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = DEPLOY / "compose.yaml"


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def test_valid_against_the_compose_specification() -> None:
    tool = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(tool), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_services_and_volumes() -> None:
    services = compose()["services"]
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["web"]["command"] == ["web"]
    assert services["beat"]["command"] == ["beat"]
    assert services["migrate"]["command"] == ["migrate"]
    for queue in ("pdf", "delivery", "default"):
        assert services[f"worker-{queue}"]["command"] == ["worker", queue]
    assert {"db-data", "private-files"} <= set(compose()["volumes"])
    assert "db-data:/var/lib/postgresql/data" in services["db"]["volumes"]
    for name in ("web", "worker-pdf", "worker-delivery", "worker-default"):
        assert "private-files:/app/var/private" in services[name]["volumes"], name
        assert services[name]["env_file"] == ".env"
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_long_running_service_has_a_health_check() -> None:
    services = compose()["services"]
    web_test = " ".join(services["web"]["healthcheck"]["test"])
    assert "/healthz/ready" in web_test and "curl" not in web_test
    for name in ("worker-pdf", "worker-delivery", "worker-default"):
        assert services[name]["healthcheck"]["test"][-2:] == ["check-heartbeat", "worker"]
    assert services["beat"]["healthcheck"]["test"][-2:] == ["check-heartbeat", "beat"]
    assert "healthcheck" in services["db"] and "healthcheck" in services["redis"]
    assert "healthcheck" in services["clamav"]


def test_a_real_clamav_scans_uploads_before_web_takes_them() -> None:
    services = compose()["services"]
    assert services["clamav"]["image"].startswith("clamav/clamav")
    assert services["web"]["depends_on"]["clamav"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    example = (Path(__file__).resolve().parents[2] / "deploy" / "env.example").read_text()
    assert "\nCLAMD_ADDRESS=clamav:3310\n" in example
