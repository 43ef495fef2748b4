from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """Casework: the caseworkers' inbox, assignment, status, notes, document
    requests and the audit log. (Its label also holds the staff accounts'
    table, see forms_engine/staff/models.py.)"""

    name = "forms_engine.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from forms_engine.submissions.pipeline import steps_planned
        from forms_engine.submissions.retention import retention_run, tombstoning

        from . import notice_tasks, retention, rules  # noqa: F401  (notice_tasks: registers the staff-notice tasks by name)

        tombstoning.connect(retention.on_tombstoning, dispatch_uid="backoffice.tombstoning")
        retention_run.connect(retention.on_retention_run, dispatch_uid="backoffice.retention_run")
        steps_planned.connect(rules.on_steps_planned, dispatch_uid="backoffice.rules")
