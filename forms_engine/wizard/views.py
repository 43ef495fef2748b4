"""The citizen flow: service start, one URL per step, check your answers,
submit, confirmation, save and resume. Views are thin: the writes are in
actions.py, forms and answers in engine.py."""

from __future__ import annotations

import logging
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from forms_engine.catalog import registry
from forms_engine.catalog.base import Answers, OnlineService, ServiceContext, Step
from forms_engine.catalog.models import CityService, city_service_for, confirmation_mode
from forms_engine.catalog.texts import start_notes
from forms_engine.identity import access as bundid
from forms_engine.identity import prefill as bundid_prefill
from forms_engine.lib.body_limit import TOO_LARGE_PARAMETER
from forms_engine.payments.actions import pay_later_path, pays_before_submit
from forms_engine.payments.views import allow_provider_form_action, go_to_provider
from forms_engine.submissions.models import Attachment, Submission
from forms_engine.submissions.receipt_links import receipt_code
from forms_engine.tenants.links import city_base_url

from . import actions, engine, resume_throttle
from .forms import EmailLinkForm, ResumeForm
from .models import Draft, hash_resume_code
from .preview import is_preview, record_usage
from .session import SESSION_CODE, SESSION_DONE, SESSION_DRAFTS, forget_draft, remember_draft
from .steppage import StepPage

logger = logging.getLogger(__name__)


def _service(request: HttpRequest, slug: str) -> tuple[OnlineService, CityService]:
    service = registry.get(slug)
    city_service = city_service_for(request.city, slug) if service else None  # type: ignore[attr-defined]
    # A preview shows the service before it is switched on, too.
    if service is None or city_service is None or not (city_service.enabled or is_preview(request, slug)):
        raise Http404
    return service, city_service


def _draft(request: HttpRequest, service: OnlineService, *, lock: bool = False) -> Draft | None:
    """The browser's draft of the service. `lock`: read FOR UPDATE inside the
    caller's transaction, and the actions work on this very row (actions._lock)."""
    draft_id = request.session.get(SESSION_DRAFTS, {}).get(service.slug)
    if not draft_id:
        return None
    # By primary key (scoped to the city), the rest checked here: on every
    # step, building a query of five conditions cost more than running it.
    rows = Draft.objects.select_for_update() if lock else Draft.objects
    draft = rows.filter(pk=draft_id).first()
    if (
        draft is None
        or draft.service_slug != service.slug
        or draft.submission_id is not None
        or draft.is_expired
        or draft.preview != is_preview(request, service.slug)
    ):
        return None
    draft.city = request.city  # type: ignore[attr-defined]  # scoped: the draft is the request city's
    if lock:
        actions.mark_locked(draft)
    return actions.draft_upgrade(draft=draft, service=service)


def _already_submitted(request: HttpRequest, service: OnlineService) -> HttpResponse | None:
    """The back button after submitting leads to the check page or a step: the
    draft is gone, but this browser submitted it. Say so, with the reference,
    instead of "your session has expired"."""
    submission_id = request.session.get(SESSION_DONE, {}).get(service.slug)
    if not submission_id:
        return None
    messages.info(request, _("You have already submitted this application. Here is your confirmation."))
    return redirect("wizard-done", service.slug, submission_id)


def _context(request: HttpRequest, service: OnlineService, city_service: CityService) -> ServiceContext:
    """The city's settings, and the BundID attributes to prefill from when logged in."""
    context = city_service.context()
    context.prefill = bundid.prefill_source(request, service)
    return context


def _step_url(service: OnlineService, step: Step) -> str:
    return reverse("wizard-step", args=[service.slug, step.name])


def _continue_url(service: OnlineService, draft: Draft) -> str:
    step = engine.first_incomplete(service, draft)
    return _step_url(service, step) if step else reverse("wizard-check", args=[service.slug])


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, service: str) -> HttpResponse:
    svc, city_service = _service(request, service)
    draft = _draft(request, svc)
    login = bundid.start_options(request, svc)
    if request.method == "POST":
        if (refusal := bundid.refuse(request, svc)) is not None:
            return refusal
        if draft is None or request.POST.get("action") == "restart":
            draft = Draft.start(
                city=request.city,  # type: ignore[attr-defined]
                service=svc,
                language=translation.get_language() or "de",
                days=city_service.draft_days,
                preview=is_preview(request, svc.slug),
            )
            remember_draft(request, draft)
            bundid.own_draft(request, draft)
            record_usage(request, city=request.city, service_slug=svc.slug, event="started")  # type: ignore[attr-defined]
        return redirect(_continue_url(svc, draft))
    context = city_service.context()
    return render(
        request,
        "wizard/start.html",
        {
            "service": svc,
            "city_service": city_service,
            "draft": draft,
            "steps": svc.steps,
            "pages": engine.page_range(svc),
            "documents": [a for s in svc.steps for a in s.attachments if a.condition is None],
            "params": context.params,
            "notes": start_notes(city_service, translation.get_language() or "de"),
            "login": login,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, service: str, step: str) -> HttpResponse:
    svc, city_service = _service(request, service)
    current = svc.step(step)
    if current is None:
        raise Http404
    if (refusal := bundid.refuse(request, svc)) is not None:
        return refusal
    if request.method == "POST":
        # The draft is read once, locked, and the action works on that row: a
        # second read under the lock (actions._lock) was a sixth of a step POST.
        with transaction.atomic():
            return _step(request, svc, city_service, current, lock=True)
    return _step(request, svc, city_service, current)


def _step(
    request: HttpRequest, svc: OnlineService, city_service: CityService, current: Step, *, lock: bool = False
) -> HttpResponse:
    draft = _draft(request, svc, lock=lock)
    if draft is None:
        if (submitted := _already_submitted(request, svc)) is not None:
            return submitted
        if request.method == "GET" and current.name == svc.steps[0].name:
            return redirect("wizard-start", svc.slug)
        return redirect("wizard-expired", svc.slug)
    if not engine.may_open(svc, draft, current):
        messages.info(request, _("Please answer this page first."))
        return redirect(_continue_url(svc, draft))
    page = StepPage(request, svc, _context(request, svc, city_service), draft, current)
    if request.method == "GET":
        if not draft.pending_for(current.name):  # shown again after errors: not a new view
            record_usage(request, city=draft.city, service_slug=svc.slug, event="step_shown", step=current.name)
        page.body_too_large = request.GET.get(TOO_LARGE_PARAMETER) == "1"  # lib/body_limit.py sent it back
        return page.render()
    if not page.post_matches_draft():
        return page.render_stale()
    return page.handle_post()


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, service: str) -> HttpResponse:
    svc, city_service = _service(request, service)
    if (refusal := bundid.refuse(request, svc)) is not None:
        return refusal
    draft = _draft(request, svc)
    if draft is None:
        done_id = request.session.get(SESSION_DONE, {}).get(svc.slug)
        if request.method == "POST" and done_id:
            return redirect("wizard-done", svc.slug, done_id)  # a second click on "submit"
        return _already_submitted(request, svc) or redirect("wizard-expired", svc.slug)
    incomplete = engine.first_incomplete(svc, draft)
    if incomplete is not None:
        return redirect(_step_url(svc, incomplete))
    context = _context(request, svc, city_service)
    if request.method == "POST":
        if request.POST.get("draft") != str(draft.pk) or request.POST.get("revision") != str(draft.revision):
            messages.warning(request, _("Your answers changed in the meantime. Please check them again."))
            return redirect("wizard-check", svc.slug)
        if draft.preview:
            return render(request, "wizard/preview_submit.html", {"service": svc, "draft": draft})
        return _submit(request, svc, context, draft)
    answers = Answers(draft.answers)
    attachments = list(Attachment.objects.filter(draft=draft))
    fee = svc.fee(answers, context)
    pays_online = pays_before_submit(draft.city, city_service, svc, fee)
    response = render(
        request,
        "wizard/check.html",
        {
            "service": svc,
            "draft": draft,
            "sections": bundid_prefill.mark_cards(
                svc, context, engine.check_cards(engine.snapshot(svc, context, answers, attachments)), answers
            ),
            "notices": svc.clean_all(answers, context),
            "summary_lines": svc.summary(answers, context),
            "fee": fee,
            "pays_online": pays_online,
            "progress": engine.progress(svc, answers, None),
        },
    )
    return allow_provider_form_action(response, draft.city) if pays_online else response


def _submit(request: HttpRequest, svc: OnlineService, context: ServiceContext, draft: Draft) -> HttpResponse:
    outcome = actions.draft_submit(
        draft=draft,
        service=svc,
        context=context,
        language=translation.get_language() or "de",
        citizen=bundid.current(request) if context.prefill is not None else None,
    )
    if outcome.submission is None:
        assert outcome.failing is not None
        messages.error(request, _("Please check this page again."))
        return redirect(_step_url(svc, outcome.failing))
    submission = outcome.submission
    if outcome.new:
        record_usage(
            request,
            city=draft.city,
            service_slug=svc.slug,
            event="submitted",
            duration_seconds=outcome.duration_seconds,
        )
    forget_draft(request, svc.slug)
    done = dict(request.session.get(SESSION_DONE, {}))
    done[svc.slug] = str(submission.pk)
    request.session[SESSION_DONE] = done
    if submission.status == Submission.Status.AWAITING_PAYMENT:
        return go_to_provider(request, submission)
    return redirect("wizard-done", svc.slug, submission.pk)


@never_cache
def done(request: HttpRequest, service: str, submission_id: UUID) -> HttpResponse:
    svc, city_service = _service(request, service)
    if request.session.get(SESSION_DONE, {}).get(svc.slug) != str(submission_id):
        raise Http404  # the confirmation belongs to the browser that submitted
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        raise Http404
    if submission.status == Submission.Status.AWAITING_PAYMENT:
        return redirect("payments-submission", submission.pk)
    return render(
        request,
        "wizard/done.html",
        {
            "service": svc,
            "city_service": city_service,
            "submission": submission,
            "has_email": bool(submission.contact_email),
            "confirmation_mode": confirmation_mode(svc, city_service),
            "receipt_code": receipt_code(submission),
            "receipt_days": settings.RECEIPT_LINK_DAYS,
            "payment": submission.payments.filter(status="PAYED").first(),
            "pay_later_url": pay_later_path(submission),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def save_for_later(request: HttpRequest, service: str) -> HttpResponse:
    svc, _city_service = _service(request, service)
    if (refusal := bundid.refuse(request, svc)) is not None:
        return refusal
    draft = _draft(request, svc)
    if draft is None:
        return _already_submitted(request, svc) or redirect("wizard-expired", svc.slug)
    if draft.preview:
        messages.info(request, _("In the preview, answers cannot be saved for later."))
        return redirect(_continue_url(svc, draft))
    code = request.session.pop(SESSION_CODE, None)
    email_form = EmailLinkForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "new-code":
        request.session[SESSION_CODE] = draft.issue_resume_code()
        return redirect("wizard-save", svc.slug)
    if request.method == "POST" and email_form.is_valid():
        code, _step = actions.draft_email_resume_link(
            draft=draft,
            service=svc,
            email=email_form.cleaned_data["email"],
            # The city's canonical address, never the request's Host header: a forged
            # Host would otherwise put an attacker's domain into the citizen's email.
            links=lambda code: (
                city_base_url(draft.city) + reverse("wizard-resume-link", args=[code]),
                city_base_url(draft.city) + reverse("wizard-resume"),
            ),
            language=translation.get_language() or draft.language,
        )
        # Sent by a worker, retried if the mail server is away; the code is on the page too.
        messages.success(request, _("We are sending the link to your email address."))
    return render(
        request,
        "wizard/save.html",
        {"service": svc, "draft": draft, "code": code, "email_form": email_form},
    )


def _open_draft_with_code(request: HttpRequest, code: str) -> HttpResponseRedirect | int | None:
    """The redirect into the draft; None for an unknown code; the seconds to
    wait when the draft was opened too often (resume_throttle)."""
    draft = (
        Draft.objects.filter(
            resume_code_hash=hash_resume_code(code),
            submission__isnull=True,
            expires_at__gt=timezone.now(),
            preview=False,
        )
        .select_related("city")
        .first()
    )
    service = registry.get(draft.service_slug) if draft else None
    if draft is None or service is None:
        return None
    if not CityService.objects.filter(service_slug=service.slug, enabled=True).exists():
        return None
    wait = resume_throttle.draft_wait_seconds(request, draft)
    if wait:
        return wait
    draft = actions.draft_upgrade(draft=draft, service=service)
    remember_draft(request, draft)
    record_usage(request, city=draft.city, service_slug=service.slug, event="resumed")
    return redirect(_continue_url(service, draft))


@never_cache
@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest) -> HttpResponse:
    if getattr(request, "city", None) is None:
        raise Http404
    form = ResumeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = resume_throttle.client_wait_seconds(request)  # the code is not even looked at
        outcome = wait or _open_draft_with_code(request, form.cleaned_data["code"])
        if isinstance(outcome, HttpResponseRedirect):
            return outcome
        if outcome:
            form.add_error("code", resume_throttle.wait_message(outcome))
            return render(request, "wizard/resume.html", {"form": form}, status=429)
        resume_throttle.record_wrong_code(request)
        form.add_error("code", _("This code is unknown or has expired. Check the code or start a new application."))
    return render(request, "wizard/resume.html", {"form": form})


@never_cache
def resume_link(request: HttpRequest, token: str) -> HttpResponse:
    if getattr(request, "city", None) is None:
        raise Http404
    wait = resume_throttle.client_wait_seconds(request)
    outcome = wait or _open_draft_with_code(request, token)
    if isinstance(outcome, HttpResponseRedirect):
        return outcome
    if outcome:
        form = ResumeForm({"code": ""})  # bound, so that it carries the message
        form.errors["code"] = form.error_class([resume_throttle.wait_message(outcome)])
        return render(request, "wizard/resume.html", {"form": form}, status=429)
    resume_throttle.record_wrong_code(request)
    return render(request, "wizard/resume.html", {"form": ResumeForm(), "link_failed": True}, status=404)


@never_cache
def session_expired(request: HttpRequest, service: str) -> HttpResponse:
    svc, _city_service = _service(request, service)
    return render(request, "wizard/expired.html", {"service": svc, "form": ResumeForm()})
