"""A citizen who uses only the keyboard completes a service: Tab and Shift+Tab
to move, typing into fields, arrow keys in a radio group, Space for
checkboxes and file choosers, Enter to send. No mouse click, no `fill`.
Every control that receives focus shows it, and after a failed step the focus
is on the error summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scopes_disabled

from forms_engine.tenants.models import City
from tests.conftest import enable_service

from .browser import DemoSite, has_focus_indicator
from .browser_walk import get_service, longest_sample, path_of, pdf_file, step_name

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SERVICE = "sondernutzung"  # radios, text, dates, two uploads, checkboxes in three steps
MAX_TABS = 80

_FOCUSED = """() => {
  const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), type: (el.type || '').toLowerCase(), name: el.getAttribute('name') || '',
          value: el.value ?? '', checked: !!el.checked, id: el.id, action: el.getAttribute('value') || ''};
}"""


def date_field_order(context: Any) -> str:
    """The order of day, month and year in Chromium's date field follows
    the browser's own locale (not the page's): find it out by typing."""
    scratch = context.new_page()
    scratch.set_content("<input type=date id=d>")
    scratch.focus("#d")
    scratch.keyboard.type("01022003")
    value = scratch.eval_on_selector("#d", "e => e.value")
    scratch.close()
    return {"2003-02-01": "%d%m%Y", "2003-01-02": "%m%d%Y"}.get(value, "%Y%m%d")


class KeyboardCitizen:
    def __init__(self, page: Any, upload: Path) -> None:
        self.page = page
        self.upload = upload
        self.unseen_focus: list[str] = []
        self.date_keys = date_field_order(page.context)
        # Listening from the start turns on file chooser interception before
        # the first Space on a file field (enabling it later can race the key).
        page.on("filechooser", lambda chooser: chooser.set_files(str(upload)))

    def focused(self) -> dict[str, Any]:
        return dict(self.page.evaluate(_FOCUSED))

    def tab(self, *, back: bool = False) -> dict[str, Any]:
        self.page.keyboard.press("Shift+Tab" if back else "Tab")
        focus = self.focused()
        indicator = has_focus_indicator(self.page)
        if focus["tag"] != "body" and not indicator["visible"]:
            self.unseen_focus.append(f"{self.page.url}: {indicator}")
        return focus

    def enter_and_wait(self) -> None:
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def skip_to_content(self) -> None:
        focus = self.tab()
        assert focus["tag"] == "a" and self.page.evaluate("document.activeElement.hash") == "#main", focus
        self.page.keyboard.press("Enter")
        assert self.focused()["id"] == "main"

    def answer(self, focus: dict[str, Any], values: dict[str, Any], done: set[str]) -> None:
        name, kind = focus["name"], focus["type"]
        if kind == "file":
            if name in done:
                return
            self.page.keyboard.press("Space")  # opens the chooser; the listener picks the file
            for _i in range(100):  # (wait_for_function would need 'unsafe-eval' under our CSP)
                if self.page.evaluate("document.activeElement.files.length"):
                    break
                self.page.wait_for_timeout(50)
            assert self.page.evaluate("document.activeElement.files.length"), f"no file chosen for {name}"
            done.add(name)
            return
        if name not in values or name in done:
            return
        value = values[name]
        if kind == "radio":
            for _i in range(20):
                if self.focused()["value"] == str(value):
                    break
                self.page.keyboard.press("ArrowDown")
            assert self.focused()["value"] == str(value), f"no option {value!r} in {name}"
            if not self.focused()["checked"]:
                self.page.keyboard.press("Space")
        elif kind == "checkbox":
            if self.focused()["checked"] != (value not in ("", None, False, "off")):
                self.page.keyboard.press("Space")
        elif kind == "date":
            day = dt.date.fromisoformat(str(value))
            self.page.keyboard.type(day.strftime(self.date_keys))
        else:
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(str(value))
        done.add(name)

    def complete_step(self, values: dict[str, Any]) -> None:
        """Tab through the page, answering each field met; Enter on "Save and continue"."""
        done: set[str] = set()
        for _i in range(MAX_TABS):
            focus = self.tab()
            if focus["tag"] == "button" and focus["action"] == "continue":
                # One further stop and back again, to use Shift+Tab too.
                assert self.tab()["action"] == "save"
                assert self.tab(back=True)["action"] == "continue"
                self.enter_and_wait()
                return
            self.answer(focus, values, done)
        raise AssertionError(f"{self.page.url}: no 'Save and continue' button within {MAX_TABS} tab stops")

    def press_button(self, predicate: Any) -> None:
        for _i in range(MAX_TABS):
            focus = self.tab()
            if predicate(focus):
                self.enter_and_wait()
                return
        raise AssertionError(f"{self.page.url}: button not reached within {MAX_TABS} tab stops")


def test_complete_a_service_with_the_keyboard_alone(page: Any, demo_site: DemoSite, tmp_path: Path) -> None:
    service = get_service(SERVICE)
    answers = longest_sample(service)
    citizen = KeyboardCitizen(page, pdf_file(tmp_path))

    page.goto(demo_site.url("giessen", f"/{SERVICE}/"))
    citizen.skip_to_content()
    citizen.press_button(lambda f: f["tag"] == "button" and f["action"] == "start")
    first = step_name(page)

    # An empty first step: the error summary gets the focus, visibly.
    citizen.complete_step({})
    assert step_name(page) == first
    assert citizen.focused()["id"] == "error-summary", citizen.focused()
    assert has_focus_indicator(page)["visible"], has_focus_indicator(page)

    for _guard in range(10):
        if path_of(page).endswith("/check/"):
            break
        name = step_name(page)
        citizen.complete_step(answers[name])
        assert step_name(page) != name, f"{name} refused: {page.locator('main').inner_text()[:2000]}"
    assert path_of(page).endswith("/check/"), page.url

    citizen.press_button(lambda f: f["tag"] == "button" and f["type"] == "submit" and f["name"] != "language")
    assert "/done/" in path_of(page), page.url
    assert page.locator(".reference").inner_text().startswith("GI-")
    assert not citizen.unseen_focus, "Focus not visible on:\n" + "\n".join(citizen.unseen_focus)


def test_enter_in_a_field_sends_the_page_not_a_remove_button(page: Any, demo_site: DemoSite) -> None:
    """Enter in a text field "clicks" the form's first submit button. On a
    repeating group the first buttons are "Remove entry" and "Add": Enter must
    still mean "Save and continue"."""
    with scopes_disabled():
        enable_service(City.objects.get(slug="giessen"), "testantrag")
    order = date_field_order(page.context)
    page.goto(demo_site.url("giessen", "/testantrag/"))
    with page.expect_navigation():
        page.locator("main button[value=start]").press("Enter")
    for name, value in [("first_name", "Jürgen"), ("last_name", "Öztürk")]:
        page.locator(f"#id_{name}").focus()
        page.keyboard.type(value)
    page.locator("#id_has_pets_0").focus()
    page.keyboard.press("Space")
    page.locator("#id_last_name").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert step_name(page) == "tiere"
    page.locator("[name='tiere-0-name']").focus()
    page.keyboard.type("Bello")
    page.locator("[name='tiere-0-born']").focus()
    page.keyboard.type(dt.date(2020, 1, 2).strftime(order))
    page.locator("main button[value=add]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("main fieldset.wizard-entry").count() == 2
    page.locator("[name='tiere-1-name']").focus()
    page.keyboard.type("Minka")
    page.locator("[name='tiere-1-born']").focus()
    page.keyboard.type(dt.date(2021, 3, 4).strftime(order))
    page.locator("[name='tiere-1-name']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert step_name(page) == "nachweise", page.locator("main").inner_text()[:1500]
    page.goto(demo_site.url("giessen", "/testantrag/tiere/"))
    names = page.locator("main fieldset.wizard-entry input[name$='-name']")
    assert [names.nth(i).input_value() for i in range(names.count())] == ["Bello", "Minka"]
