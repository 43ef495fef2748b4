"""What the wizard keeps in the citizen's session: which draft belongs to this
browser per service, which submission it may see the confirmation of, and a
freshly issued resume code until the save page has shown it once."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Draft

SESSION_DRAFTS = "gemeinsam_drafts"
SESSION_DONE = "gemeinsam_submitted"
SESSION_CODE = "gemeinsam_resume_code"


def remember_draft(request: HttpRequest, draft: Draft) -> None:
    drafts = dict(request.session.get(SESSION_DRAFTS, {}))
    drafts[draft.service_slug] = str(draft.pk)
    request.session[SESSION_DRAFTS] = drafts


def forget_draft(request: HttpRequest, service_slug: str) -> None:
    drafts = dict(request.session.get(SESSION_DRAFTS, {}))
    drafts.pop(service_slug, None)
    request.session[SESSION_DRAFTS] = drafts
