"""Processing health in the admin: every step with its state, attempts and
last error, and a "retry now" action for the city administrator and operator."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forms_engine.staff.admin_site import CityOwnedAdmin, site, staff_user

from . import actions
from .models import ProcessingStep


@admin.action(description=_("Retry now"))
def retry_now(modeladmin: Any, request: HttpRequest, queryset: QuerySet[ProcessingStep]) -> None:
    count = 0
    for step in queryset.exclude(state=ProcessingStep.State.DONE):
        actions.processing_step_retry(step=step, by=staff_user(request))
        count += 1
    messages.success(
        request,
        ngettext("%(count)d step will be tried again.", "%(count)d steps will be tried again.", count)
        % {"count": count},
    )


class ProcessingStepAdmin(CityOwnedAdmin):
    list_display = ["reference", "kind", "target_id", "state", "attempts", "next_try_at", "short_error", "note"]
    list_filter = ["state", "kind"]
    search_fields = ["submission__reference"]
    ordering = ["-created_at"]
    actions = [retry_now]
    list_select_related = ["submission"]
    readonly_fields = [
        "submission", "draft", "kind", "target_id", "state", "attempts", "last_error", "next_try_at",
        "started_at", "finished_at", "note", "result", "task_id", "created_at",
    ]  # fmt: skip

    @admin.display(description=_("reference"), ordering="submission__reference")
    def reference(self, obj: ProcessingStep) -> str:
        return obj.submission.reference if obj.submission else "–"  # a digest or a resume-link email has none

    @admin.display(description=_("delivery note"))
    def note(self, obj: ProcessingStep) -> str:
        from forms_engine.delivery.dispatch import describe_step

        return describe_step(obj)

    @admin.display(description=_("last error"))
    def short_error(self, obj: ProcessingStep) -> str:
        return obj.last_error[:120]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


site.register(ProcessingStep, ProcessingStepAdmin)
