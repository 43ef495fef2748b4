"""The city administrator says in the admin who works which service; only her
city's caseworkers and services are offered."""

from __future__ import annotations

from django_scopes import scope

from forms_engine.backoffice.models import ServiceAssignment
from forms_engine.staff.models import StaffUser
from forms_engine.tenants.models import City

from .conftest import GIESSEN_HOST, signed_in


def test_the_city_administrator_assigns_a_service(
    giessen_admin: StaffUser, carla: StaffUser, dora: StaffUser, mia: StaffUser, giessen: City
) -> None:
    client = signed_in(giessen_admin, GIESSEN_HOST)
    form = client.get("/admin/backoffice/serviceassignment/add/")
    assert form.status_code == 200
    page = form.content.decode()
    assert dora.username in page and mia.username not in page
    response = client.post(
        "/admin/backoffice/serviceassignment/add/", {"user": dora.pk, "service_slug": "unterhaltsvorschuss"}
    )
    assert response.status_code == 302, response.content[:2000]
    with scope(city=giessen):
        assert ServiceAssignment.objects.filter(user=dora, service_slug="unterhaltsvorschuss", city=giessen).exists()


def test_a_user_of_another_city_cannot_be_assigned(giessen_admin: StaffUser, mia: StaffUser, giessen: City) -> None:
    client = signed_in(giessen_admin, GIESSEN_HOST)
    response = client.post(
        "/admin/backoffice/serviceassignment/add/", {"user": mia.pk, "service_slug": "unterhaltsvorschuss"}
    )
    assert response.status_code == 200  # the form shows an error
    with scope(city=giessen):
        assert not ServiceAssignment.objects.filter(user=mia).exists()


def test_the_same_assignment_twice_is_an_error_not_a_crash(
    giessen_admin: StaffUser, carla: StaffUser, giessen: City
) -> None:
    client = signed_in(giessen_admin, GIESSEN_HOST)
    response = client.post(
        "/admin/backoffice/serviceassignment/add/", {"user": carla.pk, "service_slug": "unterhaltsvorschuss"}
    )
    assert response.status_code == 200  # the form shows an error
    with scope(city=giessen):
        assert ServiceAssignment.objects.filter(user=carla).count() == 1
