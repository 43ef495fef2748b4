"""Fonts for the receipt: the vendored Fira Sans, unpacked once from WOFF2 to
TrueType. WeasyPrint decodes WOFF2 in pure Python on every render (about 0.3 s
per face); TrueType files are read directly."""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings

VENDORED = Path(settings.BASE_DIR) / "forms_engine" / "static" / "vendor" / "kern" / "fonts" / "fira-sans"
FACES = ("Regular", "Bold")


def _cache_dirs() -> list[Path]:
    return [Path(settings.BASE_DIR) / "var" / "fonts", Path(tempfile.gettempdir()) / "gemeinsam-fonts"]


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """A directory with FiraSans-Regular.ttf and FiraSans-Bold.ttf."""
    from fontTools.ttLib import woff2  # type: ignore[import-untyped]

    for directory in _cache_dirs():
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for face in FACES:
                target = directory / f"FiraSans-{face}.ttf"
                if not target.exists():
                    # Unpack beside, then rename: several workers may start at once.
                    handle, partial = tempfile.mkstemp(dir=directory, suffix=".part")
                    os.close(handle)
                    woff2.decompress(str(VENDORED / f"FiraSans-{face}.woff2"), partial)
                    os.replace(partial, target)
            return directory
        except OSError:
            continue
    raise OSError("no writable directory for the receipt fonts")
