"""Every admin page answers for every kind of administrator on every kind of host:
no page trips over a missing city scope (a 500) or shows another city."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forms_engine.staff.admin_site import site
from tests.conftest import enable_service, host_client, sign_in

MODEL_ADMINS = sorted(site._registry.items(), key=lambda item: item[0]._meta.label)


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model, _admin in MODEL_ADMINS:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
    for app_label in sorted({model._meta.app_label for model, _admin in MODEL_ADMINS}):
        urls.append(reverse("admin:app_list", kwargs={"app_label": app_label}))
    return urls


@pytest.mark.parametrize(
    ("who", "host"),
    [("operator", "localhost"), ("operator", "giessen.localhost"), ("giessen_admin", "giessen.localhost")],
)
def test_every_admin_page_answers(request, giessen, marburg, marburg_admin, who, host):
    enable_service(giessen, "unterhaltsvorschuss")
    enable_service(marburg, "unterhaltsvorschuss")
    user = request.getfixturevalue(who)
    client = host_client(host)
    sign_in(client, user.username)
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code in (200, 403), f"{who}@{host} {url}: {response.status_code}"
        if host != "localhost" and response.status_code == 200:
            text = response.content.decode()
            assert "Universitätsstadt Marburg" not in text, f"{who}@{host} {url}"
            assert marburg_admin.username not in text, f"{who}@{host} {url}"
