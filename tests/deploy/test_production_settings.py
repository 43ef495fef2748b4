"""`manage.py check --deploy` passes with production settings, and the S3
switch turns the private and media storages into object storage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "prod-like-secret-key-for-the-deploy-check-5f1c9e7a2b4d6f8a0c2e4g6i8k",
    "FIELD_ENCRYPTION_KEYS": "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktdGVzdDE=",
    "BLIND_INDEX_KEY": "another-prod-like-secret-for-the-blind-index-0123456789",
    "SECURE_SSL_REDIRECT": "1",
    "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}


def run(args: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECURE_SSL_REDIRECT", "STATICFILES_BACKEND"}}
    env.update(PRODUCTION_ENV)
    env.update(extra)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def test_check_deploy_is_clean() -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_s3_buckets_switch_the_storages() -> None:
    script = (
        "import json, django; django.setup();"
        "from django.conf import settings; from django.core.files.storage import storages;"
        "private = storages['private']; media = storages['default'];"
        "print(json.dumps({'private': type(private).__name__, 'bucket': private.bucket_name,"
        " 'endpoint': private.endpoint_url, 'media': type(media).__name__, 'media_bucket': media.bucket_name,"
        " 'signed': private.querystring_auth, 'public_media': not media.querystring_auth}))"
    )
    result = run(
        ["-c", script],
        DJANGO_SETTINGS_MODULE="config.settings",
        PRIVATE_FILES_S3_BUCKET="gemeinsam-private",
        MEDIA_S3_BUCKET="gemeinsam-media",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        S3_ACCESS_KEY_ID="test-access",
        S3_SECRET_ACCESS_KEY="test-secret",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "private": "S3Storage",
        "bucket": "gemeinsam-private",
        "endpoint": "http://127.0.0.1:9000",
        "media": "S3Storage",
        "media_bucket": "gemeinsam-media",
        "signed": True,
        "public_media": True,
    }


def test_gunicorn_accepts_its_configuration() -> None:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    result = subprocess.run(
        [gunicorn, "-c", "deploy/gunicorn.conf.py", "--check-config", "config.wsgi"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
