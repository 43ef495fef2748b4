"""Server-rendered bar charts as inline SVG: role="img" with <title> and <desc>,
no script, no style attribute (CSP). The same figures always appear in a table
next to the chart; the chart is a picture of that table."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#1d4f91"
TEXT = "#1a1a1a"
GRID = "#767676"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def horizontal_bars(
    *, chart_id: str, title: str, desc: str, labels: Sequence[str], values: Sequence[float | None]
) -> SafeString:
    """One bar per label, label on the left, value at the end of the bar."""
    width, label_w, row_h = 640, 220, 26
    bar_w = width - label_w - 60
    top = max([v or 0 for v in values] + [1])
    height = row_h * len(labels) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="analytics-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + i * row_h
        length = 0 if value is None else max(1.0, bar_w * value / top) if value else 0
        text = "–" if value is None else _fmt(value)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13" fill="{TEXT}">'
            f"{escape(label[:32])}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 8}" fill="{BAR}"/>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 17}" font-size="13" fill="{TEXT}">{text}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def columns(*, chart_id: str, title: str, desc: str, labels: Sequence[str], values: Sequence[float]) -> SafeString:
    """Column chart over time (weeks): first and last label on the axis."""
    width, height, left, bottom = 640, 220, 40, 30
    plot_w, plot_h = width - left - 10, height - bottom - 10
    top = max([*list(values), 1])
    step = plot_w / max(len(values), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="analytics-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{10 + plot_h}" x2="{width - 10}" y2="{10 + plot_h}" stroke="{GRID}"/>',
        f'<text x="{left - 6}" y="18" text-anchor="end" font-size="12" fill="{TEXT}">{_fmt(top)}</text>',
        f'<text x="{left - 6}" y="{10 + plot_h}" text-anchor="end" font-size="12" fill="{TEXT}">0</text>',
    ]
    for i, value in enumerate(values):
        h = plot_h * value / top
        parts.append(
            f'<rect x="{left + i * step + 1:.1f}" y="{10 + plot_h - h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{h:.1f}" fill="{BAR}"/>'
        )
    if labels:
        parts.append(
            f'<text x="{left}" y="{height - 8}" font-size="12" fill="{TEXT}">{escape(labels[0])}</text>'
            f'<text x="{width - 10}" y="{height - 8}" text-anchor="end" font-size="12" fill="{TEXT}">'
            f"{escape(labels[-1])}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
