"""Every environment variable the settings read is documented in
docs/operations.md and listed in deploy/env.example."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_variables() -> set[str]:
    text = (ROOT / "config" / "settings.py").read_text()
    found = set(re.findall(r'env(?:_secret|\.[a-z]+)\(\s*"([A-Z][A-Z0-9_]+)"', text))
    assert {"SECRET_KEY", "DATABASE_URL", "METRICS_TOKEN"} <= found  # the pattern still works
    return found


def test_every_variable_is_in_the_operations_guide() -> None:
    guide = (ROOT / "docs" / "operations.md").read_text()
    missing = sorted(v for v in settings_variables() if f"`{v}`" not in guide)
    assert not missing, f"document these in docs/operations.md: {missing}"


def test_every_variable_is_in_the_env_example() -> None:
    example = (ROOT / "deploy" / "env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.M))
    # Test-only switches do not belong in a production example.
    test_only = {"PDF_RENDER_TEST_DELAY", "BENCH_CEILING_VIEW", "DELIVERY_ALLOW_PRIVATE_TARGETS"}
    missing = sorted(settings_variables() - listed - test_only)
    assert not missing, f"list these in deploy/env.example: {missing}"
