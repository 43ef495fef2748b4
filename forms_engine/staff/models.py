"""Staff accounts: operators, city administrators, team leads, caseworkers."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffUser(AbstractUser):
    """A member of staff. Operators belong to no city; everyone else to exactly one.

    Deliberately not a scoped model: logging in has to find the user before a
    city scope can be trusted. Isolation is enforced where staff are listed
    (the admin filters by the request's city) and at login (a user signs in
    only on their own city's hosts).
    """

    class Role(models.TextChoices):
        OPERATOR = "operator", _("platform operator")
        CITY_ADMIN = "city_admin", _("city administrator")
        TEAM_LEAD = "team_lead", _("team lead")
        CASEWORKER = "caseworker", _("caseworker")

    city = models.ForeignKey(
        "tenants.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("city"),
        help_text=_("Empty only for platform operators."),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.CASEWORKER, help_text=_("What this person may do.")
    )

    class Meta:
        # The table and migrations stay with the app label "backoffice": the
        # user model (AUTH_USER_MODEL) cannot move to another app with forward
        # migrations on a running deployment (docs/decisions.md).
        app_label = "backoffice"
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    @property
    def is_operator(self) -> bool:
        return self.role == self.Role.OPERATOR and self.city_id is None

    def may_sign_in_at(self, city_id: int | None) -> bool:
        """Operators sign in anywhere; city staff only on their own city's hosts."""
        if self.is_operator:
            return True
        return city_id is not None and self.city_id == city_id

    def clean(self) -> None:
        super().clean()
        if self.role == self.Role.OPERATOR and self.city_id is not None:
            raise ValidationError({"city": _("Platform operators belong to no city.")})
        if self.role != self.Role.OPERATOR and self.city_id is None:
            raise ValidationError({"city": _("Everyone except platform operators belongs to a city.")})

    def save(self, *args: object, **kwargs: object) -> None:
        # Admin access follows the role, never a separately set flag.
        self.is_staff = self.role in (self.Role.OPERATOR, self.Role.CITY_ADMIN)
        self.is_superuser = self.role == self.Role.OPERATOR and self.city_id is None
        super().save(*args, **kwargs)  # type: ignore[arg-type]
