"""No horizontal scrolling (WCAG 1.4.10 Reflow, which axe does not detect) at
320 and 390 CSS pixels, on every step of every service in its error state and
on every check page, in every city's theme.

Fast by design: the pages are produced in process by the test client (a
citizen who sends each step empty first, then the sample answers), and the
browser opens each city once and swaps each page's <main> into the city's
real shell (its stylesheet, theme, header and footer), measuring at both
widths without another navigation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from forms_engine.catalog import registry
from forms_engine.catalog.models import CityService
from forms_engine.tenants.models import City
from tests.conftest import enable_service
from tests.wizard import testservice  # noqa: F401 (registers the engine's test service)
from tests.wizard.walk import hidden, post_step, step_post_data

from .browser import CITY_SLUGS, DemoSite, new_page
from .browser_walk import samples_covering_every_step

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
WIDTHS = (320, 390)

_MAIN = re.compile(r'<main id="main"[^>]*>(.*)</main>', re.S)

# One call per city and width: put each page's <main> into the shell in turn and
# measure (reading scrollWidth forces the layout). Returns the pages too wide.
_MEASURE_ALL = """(pages) => {
  const root = document.documentElement;
  const main = document.querySelector('main');
  const found = [];
  for (const [label, html] of pages) {
    main.innerHTML = html;
    if (root.scrollWidth <= root.clientWidth) continue;
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      // Elements reaching past the edge, and boxes whose content overflows them.
      const past = box.right > root.clientWidth + 1 && box.width > 0;
      if (past || (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 1)) {
        const cls = typeof el.className === 'string' && el.className.trim()
          ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
        wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ' right=' + Math.round(box.right));
      }
    }
    found.push(`${label}: ${root.scrollWidth} px; ${wide.slice(0, 6).join(', ')}`);
  }
  return found;
}"""


def _empty_post(step_name: str, html: str) -> dict[str, Any]:
    """What a citizen sends who answers nothing: the page's hidden fields only."""
    data: dict[str, Any] = {
        "draft": hidden(html, "draft"),
        "step": step_name,
        "revision": hidden(html, "revision"),
        "action": "continue",
    }
    for name, value in re.findall(rf'name="({re.escape(step_name)}-[A-Z_]+FORMS)" value="([^"]*)"', html):
        data[name] = value
    return data


def error_pages(host: str, services: list[Any] | None = None) -> list[tuple[str, str]]:
    """(label, <main> HTML) of every step in its error state and of each check
    page, of every service (or of `services`)."""
    pages: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for service in registry.all_services() if services is None else services:
        with scopes_disabled():
            if not CityService.objects.filter(city__domains__host=host, service_slug=service.slug, enabled=True):
                enable_service(City.objects.get(domains__host=host), service.slug)  # the engine's test service
        for answers in samples_covering_every_step(service):
            client = Client(HTTP_HOST=host)
            url = client.post(f"/{service.slug}/", {"action": "start"})["Location"]
            for _guard in range(60):
                if url.endswith("/check/"):
                    break
                name = url.rstrip("/").rsplit("/", 1)[-1]
                html = client.get(url).content.decode()
                if (service.slug, name) not in seen:
                    seen.add((service.slug, name))
                    shown = post_step(client, url, _empty_post(name, html))
                    if shown.status_code == 302:  # nothing on this page is required: no error state
                        pages.append((f"{service.slug}/{name}", _main(html)))
                        url = shown["Location"]
                        continue
                    html = shown.content.decode()  # carries the new revision for the answers below
                    pages.append((f"{service.slug}/{name} (errors)", _main(html)))
                response = post_step(client, url, step_post_data(service.slug, name, html, answers[name]))
                if response.status_code == 200:  # these answers asked for a further document
                    html = response.content.decode()
                    response = client.post(url, step_post_data(service.slug, name, html, answers[name]))
                assert response.status_code == 302, f"{service.slug}/{name} refused the sample answers"
                url = response["Location"]
            pages.append((f"{service.slug}/check", _main(client.get(url).content.decode())))
    return pages


def _main(html: str) -> str:
    match = _MAIN.search(html)
    assert match, "no <main> on the page"
    return match.group(1)


@pytest.fixture
def shell_page(browser: Any, demo_site: DemoSite) -> Iterator[Any]:
    page = new_page(browser, demo_site, viewport={"width": WIDTHS[0], "height": 700})
    yield page
    page.context.close()
    assert not demo_site.problems, "\n".join(demo_site.problems)


def too_wide(page: Any, width: int, pages: list[tuple[str, str]]) -> list[str]:
    page.set_viewport_size({"width": width, "height": 700})
    return [f"{width} px, {line}" for line in page.evaluate(_MEASURE_ALL, pages)]


def test_no_page_scrolls_sideways_at_320_or_390_px(shell_page: Any, demo_site: DemoSite) -> None:
    pages = error_pages("giessen.localhost")
    steps = sum(1 for s in registry.all_services() for _ in s.steps)
    assert len(pages) >= steps  # every step (and the check pages) was reached
    problems: list[str] = []
    for city in CITY_SLUGS:
        # The city's real shell: its theme, its header with arms and name, its footer.
        shell_page.goto(demo_site.url(city, "/resume/"))
        for width in WIDTHS:
            problems += [f"{city}, {line}" for line in too_wide(shell_page, width, pages)]
    assert not problems, f"{len(problems)} pages scroll sideways:\n" + "\n".join(problems[:40])

    # The measure itself notices a page that is too wide (in the same test: the
    # demo site is seeded once). A table cannot shrink below its words: ~800 px.
    wide = '<table id="wide"><tr>' + "<td>Wort</td>" * 20 + "</tr></table>"
    [problem] = too_wide(shell_page, 390, [("fits", "<p>Kurz.</p>"), ("wide", wide)])
    assert problem.startswith("390 px, wide: ") and "table#wide" in problem
