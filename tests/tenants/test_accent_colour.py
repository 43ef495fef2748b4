"""An accent colour below 4.5:1 against white is refused, saying the measured
and the needed ratio; on the model and through the admin form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from forms_engine.tenants.models import City
from forms_engine.tenants.validators import _shown_ratio, validate_accent_colour
from tests.conftest import host_client, sign_in


@pytest.mark.parametrize("colour", ["#004b87", "#005C3C", "#000000", "#767676"])
def test_dark_enough_colours_are_accepted(colour):
    validate_accent_colour(colour)


@pytest.mark.parametrize(("colour", "measured"), [("#ffcc00", "1.51:1"), ("#777777", "4.48:1")])
def test_light_colours_are_refused_with_both_ratios(colour, measured):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_accent_colour(colour)
    message = caught.value.messages[0]
    assert measured in message
    assert "4.5:1" in message
    assert colour in message


def test_a_ratio_just_below_the_limit_is_never_shown_as_sufficient():
    assert _shown_ratio(4.497) == 4.49
    assert _shown_ratio(4.4775) == 4.48
    assert _shown_ratio(1.5117) == 1.51


@pytest.mark.parametrize("value", ["004b87", "#04b", "#00gg00", "blue", ""])
def test_malformed_colours_are_refused(value):
    with pytest.raises(ValidationError) as caught:
        validate_accent_colour(value)
    assert caught.value.code == "format"


def test_the_model_refuses_a_light_colour(giessen):
    giessen.accent_colour = "#ffcc00"
    with pytest.raises(ValidationError) as caught:
        giessen.full_clean()
    assert "accent_colour" in caught.value.message_dict


def _city_form_data(city: City, **changes: object) -> dict[str, object]:
    data = {
        "coat_of_arms": "",
        "accent_colour": city.accent_colour,
        "contact_address": city.contact_address,
        "contact_phone": city.contact_phone,
        "contact_email": city.contact_email,
        "opening_hours": city.opening_hours,
        "sender_email": city.sender_email,
        "imprint": city.imprint,
        "privacy_statement": city.privacy_statement,
        "accessibility_statement": city.accessibility_statement,
        "feedback_contact": city.feedback_contact,
        "draft_retention_days": city.draft_retention_days,
    }
    data.update(changes)
    return data


def test_the_admin_form_refuses_a_light_colour_with_the_ratios(giessen, giessen_admin):
    client = host_client("giessen.localhost")
    client.cookies["django_language"] = "en"
    sign_in(client, giessen_admin.username)
    url = f"/admin/tenants/city/{giessen.pk}/change/"
    response = client.post(url, _city_form_data(giessen, accent_colour="#777777"))
    assert response.status_code == 200  # the form again, with the error
    text = response.content.decode()
    assert "4.48:1" in text
    assert "4.5:1" in text
    giessen.refresh_from_db()
    assert giessen.accent_colour == "#004b87"


def test_the_admin_form_saves_an_accessible_colour(giessen, giessen_admin):
    client = host_client("giessen.localhost")
    sign_in(client, giessen_admin.username)
    response = client.post(
        f"/admin/tenants/city/{giessen.pk}/change/", _city_form_data(giessen, accent_colour="#8a1538")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    giessen.refresh_from_db()
    assert giessen.accent_colour == "#8a1538"
    assert "#8a1538" in host_client("giessen.localhost").get("/theme.css").content.decode()
