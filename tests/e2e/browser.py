"""Browser tests: Debian's chromium driven by Playwright for Python, against
pytest-django's live server, with the six demo cities seeded. A pytest plugin
(tests/conftest.py names it), so that browser tests elsewhere share it.

Cities are found by host, so every city is reached as http://<slug>.localhost:<port>/
(Chromium maps *.localhost to the loopback address; the resolver rule makes sure
of it). One browser serves each test module; each test gets a fresh context.
Not one per session: while Playwright runs, its asyncio loop is the running
loop of the main thread, which would reach into the other tests of the worker.
Tests here carry `pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]`
so that `pytest -n 2 --dist loadgroup` runs them all on one worker.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django_scopes import scopes_disabled

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(django_settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CITY_SLUGS = ["fulda", "giessen", "limburg", "marburg", "offenbach", "wetzlar"]


@pytest.fixture(scope="session", autouse=True)
def _static_root() -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing; the live
    server serves static files from the finders, so an empty one will do."""
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = [str(p) for p in (CHROMIUM, AXE_JS) if not p.exists()]
    if missing:  # the README's install commands provide both
        pytest.fail(f"browser tests need {', '.join(missing)}: apt-get install chromium; npm ci")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop on this thread; Django would
    # then refuse the tests' own ORM calls (seeding, flushing) as "async".
    # The live server answers from its own threads, where the check stays on.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@dataclass
class DemoSite:
    """The live server with the demo cities; `url("giessen", "/")` addresses one city."""

    port: int
    problems: list[str] = field(default_factory=list)

    def url(self, city: str | None, path: str = "/") -> str:
        host = f"{city}.localhost" if city else "localhost"
        return f"http://{host}:{self.port}{path}"


@pytest.fixture
def demo_site(live_server: Any, settings: Any) -> DemoSite:
    # The demo hashes thirteen passwords; a fast hasher keeps seeding cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with scopes_disabled():
        call_command("demo", "--force", "--quiet")
    port = int(live_server.url.rsplit(":", 1)[1])
    # The live server's port is the only one allowed, and the cities' canonical
    # links (emails) point at it, as they point at the public host in production.
    settings.ALLOWED_PORTS = [str(port)]
    settings.SITE_SCHEME, settings.SITE_PORT_SUFFIX = "http", f":{port}"
    return DemoSite(port=port)


def _watch(page: Any, site: DemoSite) -> None:
    """Record what would make a page check meaningless: a stylesheet, script or
    image that failed to load, or a CSP refusal."""

    def on_response(response: Any) -> None:
        if response.request.resource_type in {"stylesheet", "script", "image", "font"} and response.status >= 400:
            site.problems.append(f"{response.status} {response.url}")

    def on_console(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            site.problems.append(f"CSP: {message.text} ({page.url})")

    page.on("response", on_response)
    page.on("console", on_console)


def new_page(browser: Any, site: DemoSite, **context_options: Any) -> Any:
    context = browser.new_context(locale="de-DE", **context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    _watch(page, site)
    return page


@pytest.fixture
def page(browser: Any, demo_site: DemoSite) -> Iterator[Any]:
    page = new_page(browser, demo_site)
    yield page
    page.context.close()
    assert not demo_site.problems, "\n".join(demo_site.problems)


# --- axe ---------------------------------------------------------------------------

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


def axe_violations(page: Any) -> list[str]:
    """Runs axe-core's WCAG 2.1 A/AA rules on the page; one readable line per
    violation. The script goes in through the DevTools protocol, which the
    page's CSP (script-src 'self') does not govern, so pages are checked as served."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    found = page.evaluate(_AXE_RUN, WCAG_TAGS)
    return [f"{page.url}: {v['id']} ({v['impact']}): {v['help']} -> {', '.join(v['targets'][:5])}" for v in found]


def assert_styled(page: Any) -> None:
    """The KERN stylesheet, ours and the city theme are applied (else axe's
    colour checks would judge an unstyled page)."""
    styles = page.evaluate(
        """() => {
          const main = getComputedStyle(document.querySelector('main'));
          const header = document.querySelector('.site-header');
          return {kern: main.boxSizing, ours: header ? getComputedStyle(header).borderBottomWidth : '4px'};
        }"""
    )
    assert styles["kern"] == "border-box", f"kern.min.css not applied on {page.url}"
    assert styles["ours"] == "4px", f"site.css not applied on {page.url}"


_FORM_WIRING = """() => {
  const problems = [];
  const main = document.querySelector('main');
  const described = new Set();
  for (const el of main.querySelectorAll('[aria-describedby]')) {
    for (const id of el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)) {
      if (!document.getElementById(id)) problems.push(`aria-describedby of ${el.id || el.name} names missing #${id}`);
      described.add(id);
    }
  }
  for (const note of main.querySelectorAll('form .kern-error[id], form .kern-hint[id]')) {
    if (!described.has(note.id)) problems.push(`#${note.id} is tied to no field (aria-describedby)`);
  }
  for (const el of main.querySelectorAll('[aria-invalid="true"]')) {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/);
    if (!ids.some(id => { const n = document.getElementById(id); return n && n.matches('.kern-error'); })) {
      problems.push(`invalid ${el.id || el.name} does not name its error message`);
    }
  }
  for (const link of document.querySelectorAll('.error-summary a[href^="#"]')) {
    if (!document.getElementById(decodeURIComponent(link.hash.slice(1)))) {
      problems.push(`error summary links to missing ${link.hash}`);
    }
  }
  const groups = {};
  for (const el of main.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    (groups[el.name] = groups[el.name] || []).push(el);
  }
  for (const [name, members] of Object.entries(groups)) {
    const fieldset = members[0].closest('fieldset');
    if (members.length > 1 && !(fieldset && fieldset.querySelector('legend'))) {
      problems.push(`options of ${name} are not grouped in a fieldset with a legend`);
    }
  }
  return problems;
}"""


def form_wiring_problems(page: Any) -> list[str]:
    """Hints and errors tied to their fields, error summary links that lead
    somewhere, option groups in a fieldset with a legend (WCAG 1.3.1, 3.3.1):
    what axe cannot know about our form markup."""
    return [f"{page.url}: {problem}" for problem in page.evaluate(_FORM_WIRING)]


class AxeReport:
    """Collects violations over many pages, so one run lists every problem."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.checked: list[str] = []

    def check(self, page: Any, label: str = "") -> None:
        assert_styled(page)
        self.checked.append(label or page.url)
        self.lines.extend(axe_violations(page))
        self.lines.extend(form_wiring_problems(page))

    def assert_clean(self) -> None:
        assert self.checked
        assert not self.lines, f"{len(self.lines)} WCAG 2.1 A/AA problems:\n" + "\n".join(self.lines)


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def has_focus_indicator(page: Any) -> dict[str, Any]:
    """What makes the focused element visible: an outline or a box shadow."""
    found: dict[str, Any] = page.evaluate(
        """() => {
          const el = document.activeElement;
          const s = getComputedStyle(el);
          const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
            && s.outlineColor !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(s.outlineColor);
          const shadow = s.boxShadow && s.boxShadow !== 'none';
          return {visible: outline || shadow, tag: el.tagName, id: el.id, name: el.getAttribute('name'),
                  text: (el.innerText || el.value || '').slice(0, 40), outline: s.outline, shadow: s.boxShadow};
        }"""
    )
    return found
