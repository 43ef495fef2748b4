"""An unknown host gets a neutral 404 page: no city's name, data or links."""

from __future__ import annotations

import pytest

from tests.conftest import host_client


@pytest.mark.parametrize("path", ["/", "/info/impressum/", "/admin/", "/staff/login/", "/theme.css"])
def test_an_unknown_host_gets_a_neutral_404(giessen, marburg, path):
    response = host_client("kassel.localhost").get(path)
    assert response.status_code == 404
    text = response.content.decode()
    assert "Gießen" not in text
    assert "Marburg" not in text
    assert "giessen" not in text.lower()
    assert "marburg" not in text.lower()
    assert "<h1" in text  # a real page, not a bare error


def test_the_unknown_host_page_sets_no_cookie(giessen):
    response = host_client("kassel.localhost").get("/")
    assert response.status_code == 404
    assert not response.cookies
