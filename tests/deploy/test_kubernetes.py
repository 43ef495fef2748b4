"""Every manifest in deploy/kubernetes/ is valid for Kubernetes 1.30 (strict:
no unknown fields), and the cluster shape is what docs/operations.md promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.30.0"
FILES = sorted(ROOT.rglob("*.yaml"))


def documents() -> list[dict[str, Any]]:
    return [doc for path in FILES for doc in yaml.safe_load_all(path.read_text()) if doc]


def by_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for doc in documents() if doc["kind"] == kind]


def deployment(name: str) -> dict[str, Any]:
    (found,) = [d for d in by_kind("Deployment") if d["metadata"]["name"] == name]
    return found


def containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list(doc["spec"]["template"]["spec"]["containers"])


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_manifest_is_valid(path: Path) -> None:
    for doc in yaml.safe_load_all(path.read_text()):
        if doc:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_web_probes_point_at_the_health_endpoints() -> None:
    (web,) = containers(deployment("gemeinsam-web"))
    assert web["readinessProbe"]["httpGet"]["path"] == "/healthz/ready"
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz/live"
    for doc in by_kind("Deployment"):
        for container in containers(doc):
            for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                http = container.get(probe, {}).get("httpGet")
                if http:
                    assert http["path"].startswith("/healthz/"), (doc["metadata"]["name"], probe)


def test_one_worker_deployment_per_queue_with_heartbeat_liveness() -> None:
    for queue in ("pdf", "delivery", "default"):
        (worker,) = containers(deployment(f"gemeinsam-worker-{queue}"))
        assert worker["args"] == ["worker", queue]
        assert worker["livenessProbe"]["exec"]["command"][-2:] == ["check-heartbeat", "worker"]


def test_beat_runs_once_and_is_never_doubled_by_a_rollout() -> None:
    beat = deployment("gemeinsam-beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"]["type"] == "Recreate"
    (container,) = containers(beat)
    assert container["livenessProbe"]["exec"]["command"][-2:] == ["check-heartbeat", "beat"]


def test_web_scales_and_survives_node_drains() -> None:
    (hpa,) = by_kind("HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"]["name"] == "gemeinsam-web"
    (pdb,) = by_kind("PodDisruptionBudget")
    web_labels = deployment("gemeinsam-web")["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= web_labels.items()


def app_pods() -> list[dict[str, Any]]:
    """Pods that run our image (the scanner runs ClamAV's own)."""
    return [d for d in [*by_kind("Deployment"), *by_kind("Job")] if d["metadata"]["name"] != "gemeinsam-clamav"]


def test_every_setting_comes_from_the_config_map_and_the_secret() -> None:
    pods = app_pods()
    assert len(pods) == 6  # web, three workers, beat, migrate
    for doc in pods:
        for container in containers(doc):
            refs = {next(iter(ref)): next(iter(ref.values()))["name"] for ref in container["envFrom"]}
            assert refs == {"configMapRef": "gemeinsam-config", "secretRef": "gemeinsam-secrets"}
            for variable in container.get("env", []):
                assert "value" in variable and "SECRET" not in variable["name"]


def test_the_example_secret_is_not_applied_with_the_directory() -> None:
    top_level = [p for p in FILES if p.parent == ROOT]
    assert not [p for p in top_level for d in yaml.safe_load_all(p.read_text()) if d and d["kind"] == "Secret"]
    (secret,) = by_kind("Secret")
    assert all("PLACEHOLDER" in value for value in secret["stringData"].values())


def test_pods_run_as_non_root_with_a_read_only_root() -> None:
    for doc in [*by_kind("Deployment"), *by_kind("Job")]:
        assert doc["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
        for container in containers(doc) + list(doc["spec"]["template"]["spec"].get("initContainers", [])):
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_a_real_clamav_scans_uploads_and_the_app_is_pointed_at_it() -> None:
    scanner = deployment("gemeinsam-clamav")
    assert scanner["spec"]["replicas"] >= 2  # an unscannable upload is refused: no single point
    images = {c["image"].split(":")[0] for c in containers(scanner)}
    assert images == {"clamav/clamav-debian"}
    (clamd,) = [c for c in containers(scanner) if c["name"] == "clamd"]
    assert clamd["readinessProbe"]["tcpSocket"]["port"] == "clamd"
    (service,) = [s for s in by_kind("Service") if s["metadata"]["name"] == "gemeinsam-clamav"]
    port = service["spec"]["ports"][0]["port"]
    (config,) = [c for c in by_kind("ConfigMap") if c["metadata"]["name"] == "gemeinsam-config"]
    assert config["data"]["CLAMD_ADDRESS"] == f"gemeinsam-clamav:{port}"
