"""Walk a service through the wizard over HTTP, as a citizen's browser would."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from forms_engine.catalog import registry
from tests import sample_files

SMALL_PDF = sample_files.pdf()  # a real one-page PDF: uploads are parsed


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name!r} on the page"
    return match.group(1)


def file_inputs(html: str) -> list[str]:
    return re.findall(r'type="file" id="[^"]*" name="(file-[^"]+)"', html)


def step_post_data(service_slug: str, step_name: str, html: str, values: Any) -> dict[str, Any]:
    service = registry.get(service_slug)
    assert service is not None
    step = service.step(step_name)
    assert step is not None
    data: dict[str, Any] = {
        "draft": hidden(html, "draft"),
        "step": step_name,
        "revision": hidden(html, "revision"),
        "action": "continue",
    }
    if step.repeat is not None:
        entries = list(values or [])
        data.update(
            {
                f"{step_name}-TOTAL_FORMS": str(len(entries)),
                f"{step_name}-INITIAL_FORMS": hidden(html, f"{step_name}-INITIAL_FORMS"),
                f"{step_name}-MIN_NUM_FORMS": "0",
                f"{step_name}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, entry in enumerate(entries):
            data.update({f"{step_name}-{index}-{k}": v for k, v in entry.items()})
    else:
        data.update(values or {})
    for name in file_inputs(html):
        data[name] = SimpleUploadedFile(f"{name}.pdf", SMALL_PDF, content_type="application/pdf")
    return data


def post_step(client: Client, url: str, data: dict[str, Any]) -> Any:
    """POST a step as a browser does: a page with errors redirects to itself
    (post/redirect/get), and the browser then shows it with the errors."""
    response = client.post(url, data)
    if response.status_code == 302 and response["Location"].split("?")[0] == url:
        return client.get(response["Location"])
    return response


def errors_on(html: str) -> str:
    found = re.findall(r'class="kern-error"[^>]*>(.*?)</p>', html, re.S)
    return " | ".join(re.sub(r"<[^>]+>", "", f).strip() for f in found)[:2000]


def walk(
    client: Client, service_slug: str, answers: dict[str, Any], *, submit: bool = True, from_url: str = ""
) -> dict[str, Any]:
    """Start (or go on from `from_url`, e.g. a resumed draft's page), answer
    every step the wizard asks for, check and submit.
    Returns {"steps": [names], "check_html": str, "done_url": str | None}."""
    if from_url:
        url = from_url
    else:
        response = client.post(f"/{service_slug}/", {"action": "start"})
        assert response.status_code == 302, response.status_code
        url = response["Location"]
    seen: list[str] = []
    for _guard in range(60):
        if url.endswith("/check/"):
            break
        step_name = url.rstrip("/").rsplit("/", 1)[-1]
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        html = page.content.decode()
        assert step_name in answers, f"{service_slug}: the wizard asks for step {step_name!r}, no sample answers"
        response = post_step(client, url, step_post_data(service_slug, step_name, html, answers[step_name]))
        if response.status_code == 200 and set(file_inputs(response.content.decode())) - set(file_inputs(html)):
            # This page's answers asked for further documents: upload them too.
            html = response.content.decode()
            response = post_step(client, url, step_post_data(service_slug, step_name, html, answers[step_name]))
        assert response.status_code == 302, (
            f"{service_slug}/{step_name} refused: {errors_on(response.content.decode())}"
        )
        seen.append(step_name)
        url = response["Location"]
    check = client.get(url)
    assert check.status_code == 200
    check_html = check.content.decode()
    result: dict[str, Any] = {"steps": seen, "check_html": check_html, "done_url": None}
    if submit:
        response = client.post(url, {"draft": hidden(check_html, "draft"), "revision": hidden(check_html, "revision")})
        assert response.status_code == 302, response.status_code
        assert "/done/" in response["Location"], response["Location"]
        result["done_url"] = response["Location"]
    return result
