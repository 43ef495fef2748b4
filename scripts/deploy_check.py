"""`make deploy-check`: the image and the Kubernetes manifests, run for real.

1. builds the image from deploy/Dockerfile with podman (on a local Debian base
   standing in for the official python image where no registry is reachable:
   ../shared/tools/container-base.sh);
2. turns deploy/kubernetes/ into what `podman kube play` runs on one machine:
   the same Deployments, ConfigMap and Secret, with one replica each, the
   host's network (so the machine's PostgreSQL and Redis serve as the managed
   ones), a shared host directory instead of S3, and an SMTP sink as the mail
   server; the migrate Job runs as `podman run … migrate` (podman 4 has no Jobs);
3. waits until web, every worker and beat are up and /healthz/ready answers;
4. submits an application (the demo's sample answers) and waits until it is
   rendered and delivered;
5. kills the PDF worker's main process with SIGKILL (as a crash or the OOM
   killer would), submits, and waits until podman has restarted the container
   and the work is done;
6. tears everything down (pods, database, broker keys), also on failure.

Prints every step with its duration, the image size and the start-up time.
Exit status 0 only when every step passed. Not part of `make test`.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BASE_IMAGE = os.environ.get("DEPLOY_CHECK_BASE_IMAGE", "localhost/debian-python:3.11-bookworm")
BASE_SCRIPT = ROOT.parent / "shared" / "tools" / "container-base.sh"
IMAGE = "localhost/gemeinsam:deploy-check"
DATABASE = "gemeinsam_deploycheck"
BROKER_DB = os.environ.get("DEPLOY_CHECK_REDIS_DB", "11")
PODMAN = ["podman", "--runtime", "runc"]
MANIFESTS = ["10-configmap.yaml", "20-web.yaml", "30-workers.yaml", "31-beat.yaml"]


def say(message: str) -> None:
    print(message, flush=True)


def run(*command: str, capture: bool = False, check: bool = True) -> str:
    done = subprocess.run(command, cwd=ROOT, check=False, capture_output=capture, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} … exited {done.returncode}: {(done.stderr or '')[-800:]}")
    return done.stdout if capture else ""


@contextlib.contextmanager
def step(name: str, results: list[tuple[str, str]]) -> Iterator[None]:
    say(f"→ {name} …")
    started = time.monotonic()
    yield
    took = f"{time.monotonic() - started:.1f} s"
    results.append((name, took))
    say(f"  ✓ {name} ({took})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, check: Any, timeout: float) -> float:
    started = time.monotonic()
    last: Any = None
    while time.monotonic() - started < timeout:
        try:
            if check():
                return time.monotonic() - started
        except Exception as exc:
            last = exc
        time.sleep(1)
    raise RuntimeError(f"{what}: not within {timeout:.0f} s ({last})")


class SmtpSink:
    def __init__(self) -> None:
        self.messages = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages += 1
        return "250 OK"


def settings(port: int, smtp_port: int, files: Path) -> dict[str, str]:
    """What the ConfigMap and the Secret hold on this machine (everything else as shipped)."""
    from cryptography.fernet import Fernet

    return {
        "ALLOWED_HOSTS": "*",
        "PLATFORM_HOSTS": "localhost,127.0.0.1",
        "SITE_SCHEME": "http",
        "SITE_PORT_SUFFIX": f":{port}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "PRIVATE_FILES_S3_BUCKET": "",
        "MEDIA_S3_BUCKET": "",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "WORKER_METRICS_PORT": "0",  # three workers share the host's ports
        "METRICS_ALLOWED_IPS": "127.0.0.1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "METRICS_TOKEN": secrets.token_urlsafe(32),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{BROKER_DB}",
        "CACHE_URL": f"redis://127.0.0.1:6379/{BROKER_DB}",
        "PRIVATE_FILES_ROOT": "/app/var/private",
        "MEDIA_ROOT": "/app/var/media",
    }


def kube_documents(values: dict[str, str], files: Path) -> list[dict[str, Any]]:
    """The shipped manifests, adapted to one machine."""
    documents: list[dict[str, Any]] = []
    for name in MANIFESTS:
        for doc in yaml.safe_load_all((ROOT / "deploy" / "kubernetes" / name).read_text()):
            if not doc:
                continue
            doc["metadata"].pop("namespace", None)
            if doc["kind"] == "ConfigMap":
                doc["data"] = {**doc["data"], **values}
                documents.append(doc)
            elif doc["kind"] == "Deployment":
                doc["spec"]["replicas"] = 1
                pod = doc["spec"]["template"]["spec"]
                pod["hostNetwork"] = True
                pod["restartPolicy"] = "Always"
                # One host directory per VOLUME of the image: a mount on /app/var alone would
                # be shadowed by the image's anonymous volumes on /app/var/private and /media.
                pod.setdefault("volumes", []).extend(
                    {"name": f"files-{sub}", "hostPath": {"path": str(files / sub)}} for sub in ("private", "media")
                )
                for container in pod["containers"]:
                    # On the host's network there are no port mappings; probes name the port.
                    named = {p["name"]: p["containerPort"] for p in container.pop("ports", [])}
                    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                        http = container.get(probe, {}).get("httpGet")
                        if http and http["port"] in named:
                            http["port"] = int(values.get("PORT", named[http["port"]]))
                    container["image"] = IMAGE
                    container["imagePullPolicy"] = "Never"
                    container["envFrom"] = [{"configMapRef": {"name": "gemeinsam-config"}}]
                    container.setdefault("volumeMounts", []).extend(
                        {"name": f"files-{sub}", "mountPath": f"/app/var/{sub}"} for sub in ("private", "media")
                    )
                documents.append(doc)
    return documents


def env_file(values: dict[str, str], configmap: Path, directory: Path) -> Path:
    data = yaml.safe_load(configmap.read_text())["data"]
    path = directory / "env"
    path.write_text("".join(f"{k}={v}\n" for k, v in {**data, **values}.items()))
    return path


def database(action: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{DATABASE}"')


def flush_broker() -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=int(BROKER_DB)).flushdb()


def containers() -> dict[str, str]:
    """Running containers of our pods: name -> state."""
    out = run(*PODMAN, "ps", "-a", "--format", "json", capture=True)
    return {c["Names"][0]: c["State"] for c in json.loads(out or "[]") if c.get("Pod")}


SUBMIT = """
from django_scopes import scope, scopes_disabled
from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers
from forms_engine.catalog.models import CityService
from forms_engine.submissions.actions import submission_submit
from forms_engine.tenants.models import City
from forms_engine.wizard import engine
service = registry.get("unterhaltsvorschuss")
with scopes_disabled():
    city = City.objects.get(slug="giessen")
    cs = CityService.objects.get(city=city, service_slug=service.slug)
answers = Answers(dict(next(iter(service.sample_answers.values()))))
with scope(city=city):
    context = cs.context()
    s = submission_submit(city=city, service=service, context=context, answers=answers,
        snapshot=engine.snapshot(service, context, answers, []), attachments=[], language="de")
print("SUBMISSION", s.pk)
"""


def steps_done(submission_id: str) -> bool:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DATABASE}") as conn:
        rows = conn.execute(
            "SELECT kind, state FROM submissions_processingstep WHERE submission_id = %s", (submission_id,)
        ).fetchall()
    return bool(rows) and all(state == "done" for _kind, state in rows)


def one_off(envfile: Path, files: Path, *args: str, capture: bool = False) -> str:
    """A one-off container of the image (what a Job would run), with the shared files."""
    mounts = [f"--volume={files / sub}:/app/var/{sub}" for sub in ("private", "media")]
    return run(*PODMAN, "run", "--rm", "--network", "host", "--env-file", str(envfile), *mounts, IMAGE, *args,
               capture=capture)  # fmt: skip


def submit(envfile: Path, files: Path) -> str:
    out = one_off(envfile, files, "manage", "shell", "-c", SUBMIT, capture=True)
    return next(line.split()[1] for line in out.splitlines() if line.startswith("SUBMISSION "))


def main() -> int:
    from aiosmtpd.controller import Controller

    results: list[tuple[str, str]] = []
    work = Path(tempfile.mkdtemp(prefix="gemeinsam-deploy-check-"))
    files = work / "var"
    for sub in ("private", "media"):
        (files / sub).mkdir(parents=True)
    shutil.chown(files, 10001, 10001) if os.geteuid() == 0 else None
    for sub in ("private", "media"):
        os.chmod(files / sub, 0o777)
    os.chmod(files, 0o777)
    port, smtp_port = free_port(), free_port()
    sink = SmtpSink()
    smtp = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    values = settings(port, smtp_port, files)
    kube = work / "gemeinsam.yaml"
    ok = False
    try:
        with step("base image", results):
            # A new machine has no podman yet: the base script installs it with the base image.
            missing = not shutil.which("podman")
            if missing or subprocess.run([*PODMAN, "image", "exists", BASE_IMAGE], check=False).returncode != 0:
                if not BASE_SCRIPT.exists():
                    raise RuntimeError(f"{BASE_IMAGE} is missing; build it with a container-base script")
                run("bash", str(BASE_SCRIPT))
        with step("build the image", results):
            run(*PODMAN, "build", "--format", "docker", "--isolation", "chroot", "--build-arg",
                f"PYTHON_IMAGE={BASE_IMAGE}", "-f", "deploy/Dockerfile", "-t", IMAGE, ".")  # fmt: skip
        size = int(run(*PODMAN, "image", "inspect", "--format", "{{.Size}}", IMAGE, capture=True).strip())
        results.append(("image size", f"{size / 1024 / 1024:.0f} MiB"))
        smtp.start()
        database("create")
        flush_broker()
        documents = kube_documents(values, files)
        kube.write_text(yaml.safe_dump_all(documents, sort_keys=False))
        envfile = env_file(values, ROOT / "deploy" / "kubernetes" / "10-configmap.yaml", work)
        with step("migrate (the migrate Job's command)", results):
            one_off(envfile, files, "migrate")
        with step("demo cities and services", results):
            one_off(envfile, files, "manage", "demo", "--force", "--quiet")
        started = time.monotonic()
        with step("podman kube play (web, three workers, beat)", results):
            run(*PODMAN, "kube", "play", str(kube))

        def ready() -> bool:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz/ready", headers={"Host": "localhost"})
            with urllib.request.urlopen(request, timeout=5) as response:
                return bool(response.status == 200)

        with step("every pod up and /healthz/ready answering", results):
            wait_for("ready", ready, 240)
        results.append(("start-up time (kube play to ready)", f"{time.monotonic() - started:.1f} s"))
        with step("a submission rendered and delivered", results):
            first = submit(envfile, files)
            wait_for("delivered", lambda: steps_done(first), 180)
        with step("PDF worker killed (SIGKILL), work recovered", results):
            pdf = next(name for name in containers() if "worker-pdf" in name and "infra" not in name)
            # Killed from outside, as the OOM killer or a crash would: podman applies the
            # pod's restartPolicy then (it does not after `podman kill`, a deliberate stop).
            pid = int(run(*PODMAN, "inspect", "--format", "{{.State.Pid}}", pdf, capture=True).strip())
            os.kill(pid, 9)
            killed = time.monotonic()
            second = submit(envfile, files)
            wait_for("delivered after the kill", lambda: steps_done(second), 600)
            results.append(("recovery after the kill (kill to delivered)", f"{time.monotonic() - killed:.1f} s"))
            restarted = int(run(*PODMAN, "inspect", "--format", "{{.State.Pid}}", pdf, capture=True).strip())
            if restarted in (0, pid):
                raise RuntimeError("the PDF worker was not restarted after the kill")
            results.append(("PDF worker process before / after the kill", f"pid {pid} / pid {restarted}"))
        results.append(("emails received by the SMTP sink", str(sink.messages)))
        ok = True
    except Exception as exc:
        say(f"  ✗ {exc}")
        for name in containers() if shutil.which("podman") else {}:
            say(f"--- last log lines of {name}")
            say(run(*PODMAN, "logs", "--tail", "15", name, capture=True, check=False))
    finally:
        with contextlib.suppress(Exception):
            run(*PODMAN, "kube", "down", str(kube), check=False)
        with contextlib.suppress(Exception):
            smtp.stop()
        with contextlib.suppress(Exception):
            database("drop")
            flush_broker()
        shutil.rmtree(work, ignore_errors=True)
    say("")
    width = max(len(name) for name, _value in results) if results else 0
    for name, value in results:
        say(f"{name.ljust(width)}  {value}")
    say("deploy-check passed" if ok else "deploy-check FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
