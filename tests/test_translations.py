"""Every translatable string has a German translation.

English is the source language: msgids are the English texts, so the "en"
catalogue would be the identity and none is kept. German is the default
language, so every msgid must have a German msgstr that is neither empty nor
fuzzy, in the per-app catalogues (<app>/locale/de/LC_MESSAGES/django.po)
under forms_engine/ and services/.

Strings nobody has extracted yet are found by running `makemessages` over a
temporary copy of the sources (the working tree is never written) and looking
each extracted msgid up in the committed catalogues.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("forms_engine", "services")
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".xml", ".svg"}
Key = tuple[str, str]  # (msgctxt, msgid)


@dataclass
class Entry:
    msgctxt: str = ""
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and "fuzzy" not in self.flags


def _unquote(text: str) -> str:
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def parse_po(path: Path) -> list[Entry]:
    """A small reader for the gettext PO format: flags, references, msgctxt,
    msgid, msgid_plural, msgstr / msgstr[n], continuation lines. Obsolete
    (#~) entries are left out. The header (empty msgid) is left out too."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if current.msgid:
            entries.append(current)
        current, target = Entry(), None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                finish()
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                current.references.extend(line[2:].split())
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            assert target is not None, f"{path}:{number}: continuation without a keyword"
            text = _unquote(line)
        elif keyword in {"msgctxt", "msgid", "msgid_plural"} or keyword.startswith("msgstr"):
            if keyword in {"msgctxt", "msgid"} and target is not None and target[0] == "msgstr":
                finish()
            if not current.line:
                current.line = number
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            target = ("msgstr" if keyword.startswith("msgstr") else keyword, index)
            text = _unquote(rest)
            if target[0] == "msgstr":
                current.msgstr.setdefault(index, "")
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
        name, index = target
        if name == "msgstr":
            current.msgstr[index] += text
        else:
            setattr(current, name, getattr(current, name) + text)
    finish()
    return entries


def catalogues() -> list[Path]:
    found: list[Path] = []
    for top in SOURCE_DIRS:
        found.extend(p for p in (ROOT / top).rglob("locale/de/LC_MESSAGES/*.po") if ".venv" not in p.parts)
    return sorted(found)


def test_the_po_reader_understands_the_format(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: a.py:1\nmsgid "Done"\nmsgstr "Fertig"\n\n'
        '#, fuzzy, python-format\nmsgid "Step %(n)s"\nmsgstr "Schritt %(n)s"\n\n'
        'msgctxt "door"\nmsgid ""\n"Open"\nmsgstr ""\n\n'
        'msgid "one file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "eine Datei"\nmsgstr[1] ""\n\n'
        '#~ msgid "Old"\n#~ msgstr "Alt"\n',
        encoding="utf-8",
    )
    entries = {e.key: e for e in parse_po(po)}
    assert set(entries) == {("", "Done"), ("", "Step %(n)s"), ("door", "Open"), ("", "one file")}
    assert entries[("", "Done")].translated
    assert not entries[("", "Step %(n)s")].translated  # fuzzy
    assert not entries[("door", "Open")].translated  # empty
    assert not entries[("", "one file")].translated  # one plural form missing
    assert entries[("", "one file")].msgid_plural == "%(n)s files"


def _describe(path: Path, entry: Entry) -> str:
    why = "fuzzy" if "fuzzy" in entry.flags else "no translation"
    context = f" [{entry.msgctxt}]" if entry.msgctxt else ""
    return f"{path.relative_to(ROOT)}:{entry.line}: {why}: {entry.msgid!r}{context}"


def test_every_catalogue_entry_is_translated() -> None:
    problems = [_describe(path, entry) for path in catalogues() for entry in parse_po(path) if not entry.translated]
    assert not problems, "Untranslated catalogue entries:\n" + "\n".join(problems)


def _extract(tmp_path: Path) -> list[Entry]:
    """Runs Django's makemessages over a copy of the sources; returns what it found."""
    copy = tmp_path / "src"
    for top in SOURCE_DIRS:
        shutil.copytree(
            ROOT / top,
            copy / top,
            ignore=lambda folder, names: [
                n
                for n in names
                if n in {"locale", "migrations", "__pycache__", "static", "node_modules"}
                or ((Path(folder) / n).is_file() and Path(n).suffix not in SOURCE_SUFFIXES)
            ],
        )
    (copy / "locale").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    django_admin = Path(sys.executable).parent / "django-admin"
    result = subprocess.run(
        [str(django_admin), "makemessages", "-l", "de", "--no-wrap", "-v", "0"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    extracted = copy / "locale" / "de" / "LC_MESSAGES" / "django.po"
    return parse_po(extracted) if extracted.exists() else []


def test_makemessages_finds_no_string_without_a_translation(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        pytest.fail("makemessages needs GNU gettext: apt-get install gettext")
    translated = {entry.key for path in catalogues() for entry in parse_po(path) if entry.translated}
    missing = [entry for entry in _extract(tmp_path) if entry.key not in translated]
    lines = [
        f"{entry.msgid!r}{f' [{entry.msgctxt}]' if entry.msgctxt else ''} in {', '.join(entry.references[:3])}"
        for entry in missing
    ]
    assert not lines, (
        f"{len(missing)} translatable strings have no German translation in any catalogue "
        "(run makemessages -l de in the app and translate):\n" + "\n".join(lines)
    )
