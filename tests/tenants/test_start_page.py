"""Each city's start page: name, coat of arms, its active online services or a
friendly text when there are none, and a footer with the legal pages."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import translation

from forms_engine.catalog import registry
from tests.conftest import enable_service, host_client

ARMS = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'


def english(host: str) -> Client:
    client = host_client(host)
    client.cookies["django_language"] = "en"
    return client


def test_the_start_page_shows_the_city_and_its_coat_of_arms(giessen):
    giessen.coat_of_arms.save("giessen.svg", ContentFile(ARMS), save=True)
    text = english("giessen.localhost").get("/").content.decode()
    assert "<h1" in text
    assert "Online services of Universitätsstadt Gießen" in text
    assert re.search(r'<img[^>]+src="/coat-of-arms"[^>]+alt="Coat of arms of Universitätsstadt Gießen"', text)


def test_without_coat_of_arms_no_broken_image_is_shown(giessen):
    text = host_client("giessen.localhost").get("/").content.decode()
    assert "/coat-of-arms" not in text
    assert host_client("giessen.localhost").get("/coat-of-arms").status_code == 404


def test_active_services_are_listed(giessen):
    enable_service(giessen, "unterhaltsvorschuss")
    service = registry.get("unterhaltsvorschuss")
    assert service is not None
    text = english("giessen.localhost").get("/").content.decode()
    assert str(service.title) in text
    assert "No online services yet" not in text


def test_a_city_without_services_gets_a_friendly_text(giessen, marburg):
    enable_service(marburg, "unterhaltsvorschuss")  # another city's service is not Gießen's
    text = english("giessen.localhost").get("/").content.decode()
    assert "No online services yet" in text
    assert "contact the city hall" in text
    assert 'class="service-list"' not in text


def test_a_switched_off_service_is_not_listed(giessen):
    enable_service(giessen, "unterhaltsvorschuss", enabled=False)
    text = english("giessen.localhost").get("/").content.decode()
    assert "No online services yet" in text
    assert 'class="service-list"' not in text


def test_the_footer_shows_contact_and_links(giessen):
    giessen.contact_phone = "+49 641 306-0"
    giessen.save()
    text = english("giessen.localhost").get("/").content.decode()
    footer = text[text.index("<footer") :]
    assert "+49 641 306-0" in footer
    assert "info@giessen.example" in footer
    for href in ("/info/impressum/", "/info/datenschutz/", "/info/barrierefreiheit/", "/info/leichte-sprache/"):
        assert f'href="{href}"' in footer
    assert 'href="mailto:a11y@giessen.example?subject=Report%20a%20barrier"' in footer


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("impressum", "Imprint"),
        ("datenschutz", "Privacy statement"),
        ("barrierefreiheit", "Accessibility statement"),
        ("leichte-sprache", "Informationen in Leichter Sprache"),
    ],
)
def test_the_footer_pages_answer(giessen, page, expected):
    response = english("giessen.localhost").get(f"/info/{page}/")
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_the_accessibility_statement_names_the_feedback_contact(giessen):
    giessen.accessibility_statement = "Diese Website ist teilweise barrierefrei."
    giessen.save()
    text = english("giessen.localhost").get("/info/barrierefreiheit/").content.decode()
    assert "Diese Website ist teilweise barrierefrei." in text
    assert 'href="mailto:a11y@giessen.example"' in text


def test_an_unknown_info_page_is_not_found(giessen):
    assert host_client("giessen.localhost").get("/info/geheim/").status_code == 404


def test_the_theme_carries_the_citys_colour(giessen):
    giessen.accent_colour = "#8a1538"
    giessen.save()
    css = host_client("giessen.localhost").get("/theme.css")
    assert css["Content-Type"].startswith("text/css")
    assert "#8a1538" in css.content.decode()


def test_services_are_listed_by_title(giessen):
    slugs = ["unterhaltsvorschuss", "hundesteuer", "fundsache", "gaststaette"]  # "Anzeige ..." comes first
    for slug in slugs:
        enable_service(giessen, slug)
    text = host_client("giessen.localhost").get("/").content.decode()
    with translation.override("de"):
        titles = [str(service.title) for slug in slugs if (service := registry.get(slug)) is not None]
    positions = [text.index(title) for title in titles]
    assert [title for _position, title in sorted(zip(positions, titles, strict=True))] == sorted(
        titles, key=str.casefold
    )
