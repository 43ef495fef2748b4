"""Rules per city service: *when* (trigger) *and* (conditions) *then*
(actions), edited in the admin with typed fields. Imported by models.py;
evaluated and run by rules.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Rule(models.Model):
    class Trigger(models.TextChoices):
        SUBMITTED = "submitted", _("a submission arrives")
        DOCUMENTS = "documents", _("documents are handed in")
        DEADLINE = "deadline", _("the processing deadline passes")
        PAYMENT = "payment", _("the payment is booked")

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    city_service = models.ForeignKey(
        "catalog.CityService",
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("online service"),
        help_text=_("The service of this city the rule works on."),
    )
    name = models.CharField(_("name"), max_length=120, help_text=_("Shown in the audit log: “automatisch (Regel …)”."))
    enabled = models.BooleanField(_("active"), default=True, help_text=_("Only active rules run."))
    trigger = models.CharField(_("when"), max_length=12, choices=Trigger.choices, help_text=_("What starts the rule."))
    needs_confirmation = models.BooleanField(
        _("decisions need a person's confirmation"),
        default=True,
        help_text=_(
            "An approval or rejection by this rule is only proposed; a caseworker confirms it (four eyes). "
            "Under four eyes for the service this always applies."
        ),
    )
    position = models.PositiveIntegerField(_("order"), default=0, help_text=_("Rules run in this order."))
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["city_service", "name"], name="unique_rule_name")]

    def __str__(self) -> str:
        return self.name


class RuleCondition(models.Model):
    class Kind(models.TextChoices):
        ANSWER_IS = "answer_is", _("answer is")
        ANSWER_IS_NOT = "answer_is_not", _("answer is not")
        ANSWER_CONTAINS = "answer_contains", _("answer contains")
        ANSWER_GIVEN = "answer_given", _("question answered")
        ATTACHMENT = "attachment", _("document handed in")
        FEE_AT_LEAST = "fee_at_least", _("fee at least (EUR)")
        FEE_AT_MOST = "fee_at_most", _("fee at most (EUR)")
        PAID_ONLINE = "paid_online", _("paid online")
        NOT_PAID_ONLINE = "not_paid_online", _("not paid online")

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("rule"))
    kind = models.CharField(_("condition"), max_length=20, choices=Kind.choices)
    field = models.CharField(
        _("question or document"),
        max_length=120,
        blank=True,
        help_text=_("Question as step.field (e.g. vehicle.use_basis), or the key of a document."),
    )
    value = models.CharField(_("value"), max_length=200, blank=True, help_text=_("The answer or amount compared."))

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions (all must hold)")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.field} {self.value}".strip()


class RuleAction(models.Model):
    class Kind(models.TextChoices):
        ASSIGN = "assign", _("assign to a person")
        ASSIGN_TEAM = "assign_team", _("assign within the service's team (fewest open cases)")
        STATUS = "status", _("set the status")
        REQUEST_DOCUMENTS = "request_documents", _("request documents")
        FORWARD = "forward", _("forward to a delivery target")
        LETTER = "letter", _("decide and issue a letter")

    city = models.ForeignKey("tenants.City", on_delete=models.CASCADE, verbose_name=_("city"))
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="actions", verbose_name=_("rule"))
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
        help_text=_("For “assign”."),
    )
    status = models.CharField(
        _("status"),
        max_length=24,
        blank=True,
        choices=[
            ("in_progress", _("in progress")),
            ("closed", _("closed")),
            ("approved", _("approved")),
            ("rejected", _("rejected")),
        ],
        help_text=_("For “set the status”."),
    )
    text = models.TextField(
        _("text to the citizen"), blank=True, max_length=2000, help_text=_("For “request documents”: what is missing.")
    )
    days = models.PositiveIntegerField(
        _("deadline (days)"), null=True, blank=True, help_text=_("For “request documents”; empty: the service's.")
    )
    delivery_target = models.ForeignKey(
        "delivery.DeliveryTarget",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("delivery target"),
        help_text=_("For “forward”."),
    )
    letter_template = models.ForeignKey(
        "backoffice.LetterTemplate",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("decision letter"),
        help_text=_("For “decide and issue a letter”: approval or rejection as the template says."),
    )
    at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = ScopedManager(city="city")

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions (in this order)")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.get_kind_display())
