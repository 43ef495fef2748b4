"""The list export as a German spreadsheet program reads it: readable service
and status names, local times, and with answers one column per answer under
the label the citizen saw (repeating groups numbered: "Vorname des Kindes (2)").
CSV for German Excel (semicolon, UTF-8 with BOM, CRLF) and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from forms_engine.submissions.models import Submission

from .forms import service_title

Cell = str | datetime | date | None
# Spreadsheets run text starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _local(moment: datetime | None) -> datetime | None:
    # Spreadsheets know no time zones: local wall-clock time, as the caseworker reads it.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def answer_cells(snapshot: Any) -> dict[str, str]:
    """{column header: shown value} of one submission, in the order asked."""
    cells: dict[str, str] = {}
    for step in snapshot if isinstance(snapshot, list) else []:
        lines = [(line, "") for line in step.get("fields") or []]
        for number, entry in enumerate(step.get("entries") or [], start=1):
            lines += [(line, f" ({number})") for line in entry]
        for line, suffix in lines:
            if not isinstance(line, dict) or line.get("value") in (None, ""):
                continue
            header = f"{line.get('label')}{suffix}"
            if header in cells:  # the same label on two steps: say which step
                header = f"{step.get('title')}: {header}"
            cells[header] = str(line.get("value"))
    return cells


def table(submissions: Iterable[Submission], *, with_answers: bool) -> tuple[list[str], list[list[Cell]]]:
    header = [
        _("Reference number"),
        _("Online service"),
        _("Received"),
        _("Due"),
        _("Decided"),
        _("Status"),
        _("Assigned to"),
    ]
    statuses = dict(Submission.Status.choices)
    titles: dict[str, str] = {}
    rows: list[list[Cell]] = []
    answers: list[dict[str, str]] = []
    columns: dict[str, None] = {}
    for s in submissions:
        if s.service_slug not in titles:
            titles[s.service_slug] = service_title(s.service_slug)
        rows.append(
            [
                s.reference,
                titles[s.service_slug],
                _local(s.submitted_at),
                s.due_on,
                _local(s.decided_at),
                str(statuses.get(s.status, s.status)),
                person(s.assignee),
            ]
        )
        if with_answers:
            cells = {_("Applicant"): s.applicant_name or "", **answer_cells(s.snapshot)}
            answers.append(cells)
            columns.update(dict.fromkeys(cells))
    if with_answers:
        header += list(columns)
        for row, cells in zip(rows, answers, strict=True):
            row += [cells.get(c, "") for c in columns]
    return header, rows


def _text(value: Cell) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return neutralised(value)


def as_csv(header: list[str], rows: list[list[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralised(h) for h in header])
    writer.writerows([[_text(v) for v in row] for row in rows])
    # The BOM tells Excel the file is UTF-8 (else umlauts arrive as "Ã¼").
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(header: list[str], rows: list[list[Cell]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Submissions"))

    def cell(value: Cell) -> Any:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters would break the file
        c = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # dates are fine (stubs too narrow)
        if isinstance(value, str) and value.startswith("="):
            c.data_type = "s"  # text, never a formula
        elif isinstance(value, datetime):
            c.number_format = "DD.MM.YYYY HH:MM"
        elif isinstance(value, date):
            c.number_format = "DD.MM.YYYY"
        return c

    sheet.append([cell(h) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
