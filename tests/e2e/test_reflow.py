"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide, as at 400 % zoom of a 1280 px
window, pages scroll only vertically."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.wizard import testservice  # noqa: F401 (registers the engine's test service)

from .browser import DemoSite, new_page
from .browser_walk import get_service, longest_sample, pdf_file, walk

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
WIDTH = 320

_OVERFLOW = """() => {
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > document.documentElement.clientWidth + 1 && box.width > 0) {
      const classes = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classes + ' right=' + Math.round(box.right));
    }
  }
  const root = document.documentElement;
  return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide.slice(0, 8)};
}"""


class ReflowReport:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.checked = 0

    def check(self, page: Any, label: str = "") -> None:
        self.checked += 1
        found = page.evaluate(_OVERFLOW)
        # clientWidth: the viewport less a scrollbar gutter (KERN keeps one).
        if found["scroll"] > min(WIDTH, found["client"]):
            self.problems.append(f"{label or page.url}: {found['scroll']} px wide; {', '.join(found['wide'])}")

    def assert_clean(self) -> None:
        assert self.checked
        assert not self.problems, "Horizontal scrolling at 320 px:\n" + "\n".join(self.problems)


@pytest.fixture
def narrow_page(browser: Any, demo_site: DemoSite) -> Iterator[Any]:
    page = new_page(browser, demo_site, viewport={"width": WIDTH, "height": 640})
    yield page
    page.context.close()
    assert not demo_site.problems, "\n".join(demo_site.problems)


def test_pages_reflow_at_320_px(narrow_page: Any, demo_site: DemoSite, tmp_path: Path) -> None:
    page = narrow_page
    report = ReflowReport()
    for path in ["/", "/info/barrierefreiheit/", "/info/leichte-sprache/", "/resume/", "/staff/login/"]:
        page.goto(demo_site.url("offenbach", path))
        report.check(page)
    assert page.evaluate("window.innerWidth") == WIDTH

    # Every page of a service with dates, uploads and a computed fee, errors included.
    service = get_service("sondernutzung")
    walk(
        page,
        demo_site.url("giessen", "/sondernutzung/"),
        service,
        longest_sample(service),
        pdf_file(tmp_path),
        check=report.check,
        with_errors=True,
    )
    report.assert_clean()

    # The check itself notices a page that is too wide.
    page.evaluate(
        """() => {
          const wide = document.createElement('div');
          wide.id = 'too-wide';
          wide.style.width = '600px';
          wide.style.height = '1em';
          document.querySelector('main').append(wide);
        }"""
    )
    report.check(page, "widened")
    assert report.problems and "div#too-wide" in report.problems[0], report.problems
