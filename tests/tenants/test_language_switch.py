"""German is the default; the language switch turns the pages English."""

from __future__ import annotations

from tests.conftest import host_client


def test_german_is_the_default(giessen):
    page = host_client("giessen.localhost").get("/")
    text = page.content.decode()
    assert '<html lang="de">' in text
    assert "Online-Dienste" in text
    assert "Impressum" in text


def test_the_switch_turns_the_page_english_and_back(giessen):
    client = host_client("giessen.localhost")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    text = client.get("/").content.decode()
    assert '<html lang="en">' in text
    assert "Online services of Universitätsstadt Gießen" in text
    assert "Imprint" in text
    assert 'name="language" value="de"' in text  # the way back

    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert "Impressum" in client.get("/").content.decode()


def test_the_switch_does_not_send_anyone_to_another_host(giessen):
    client = host_client("giessen.localhost")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_staff_login_is_translated(giessen):
    assert "Anmeldung" in host_client("giessen.localhost").get("/staff/login/").content.decode()
