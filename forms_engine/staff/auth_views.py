"""Staff sign-in: password, then a second factor. A staff member without a
device enrols one (TOTP via QR code or typed secret) before getting in."""

from __future__ import annotations

import base64
import time
from typing import Any

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import throttle
from .auth_forms import PasswordAndBackupCodeForm, PasswordForm, TokenForm
from .models import StaffUser

PENDING_KEY = "_staff_pending"
PENDING_SECONDS = 300
BACKUP_CODES = 10


def _next_url(request: HttpRequest, target: str) -> str:
    """Only same-host targets; otherwise the person's home: the admin for
    administrators, the back office for everyone else."""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index") if request.user.is_staff else "/backoffice/"


def _pending_user(request: HttpRequest) -> StaffUser | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    return StaffUser.objects.filter(pk=pending["user"], is_active=True).first()


def _fail(request: HttpRequest, username: str) -> None:
    """Count a failed second factor like a failed password (lockout)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    if getattr(request, "axes_locked_out", False):
        # AxesMiddleware answers with the locked page; the half-done sign-in ends.
        request.session.pop(PENDING_KEY, None)


def _locked_out(request: HttpRequest, username: str) -> HttpResponse | None:
    """The lockout also holds for someone who got past the password earlier."""
    credentials = {"username": username}
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    request.session.pop(PENDING_KEY, None)
    response: HttpResponse = get_lockout_response(request, None, credentials)
    return response


def has_usable_second_factor(user: StaffUser) -> bool:
    """A confirmed authenticator, or backup codes that are not used up."""
    for device in devices_for_user(user, confirmed=True):
        if not isinstance(device, StaticDevice) or device.token_set.exists():
            return True
    return False


def _complete(request: HttpRequest, user: StaffUser, device: Any) -> HttpResponseRedirect:
    next_url = request.session.get(PENDING_KEY, {}).get("next", "")
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    return redirect(_next_url(request, next_url))


def _throttled(request: HttpRequest, wait: int) -> HttpResponse:
    return render(request, "staff/throttled.html", {"wait": wait}, status=429)


def _backup_code_device(user: StaffUser, code: str) -> StaticDevice | None:
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code.replace(" ", "")):
            return device
    return None


@never_cache
@sensitive_post_parameters("password", "backup_code")
def password_step(request: HttpRequest) -> HttpResponse:
    wait = throttle.wait_seconds(request)
    if request.method == "POST" and wait:
        return _throttled(request, wait)  # the password is not even looked at
    name_locked = request.method == "POST" and throttle.name_locked(str(request.POST.get("username", "")))
    form_class = PasswordAndBackupCodeForm if name_locked else PasswordForm
    form = form_class(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        # A name locked for this address makes authenticate() return None and
        # AxesMiddleware replace this response with the locked page.
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        city = getattr(request, "city", None)
        if user is not None and isinstance(user, StaffUser) and user.may_sign_in_at(city.pk if city else None):
            if name_locked:
                device = _backup_code_device(user, form.cleaned_data["backup_code"])
                if device is not None:
                    throttle.record_success(request)
                    return _complete(request, user, device)
                _fail(request, username)
                throttle.record_failure(request)
                error = _("The backup code is wrong or already used.")
                return _login_page(request, form, error, name_locked, status=429)
            throttle.record_success(request)
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user": user.pk,
                "at": time.time(),
                "next": request.POST.get("next") or request.GET.get("next") or "",
            }
            return redirect("staff-login-verify" if has_usable_second_factor(user) else "staff-login-enrol")
        if user is not None:
            _fail(request, username)
        throttle.record_failure(request)
        error = _("User name or password is wrong, or this account does not belong to this city.")
    return _login_page(request, form, error, name_locked, status=429 if name_locked else 200)


def _login_page(request: HttpRequest, form: Any, error: str | None, name_locked: bool, *, status: int) -> HttpResponse:
    context = {"form": form, "error": error, "next": request.GET.get("next", ""), "name_locked": name_locked}
    return render(request, "staff/login.html", context, status=status)


@never_cache
def verify_step(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("staff-login")
    locked = _locked_out(request, user.get_username())
    if locked is not None:
        return locked
    form = TokenForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            return _complete(request, user, device)
        _fail(request, user.get_username())
        error = _("The code is wrong or expired. Try the current code or a backup code.")
    return render(request, "staff/verify.html", {"form": form, "error": error})


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")  # type: ignore[no-any-return]


@never_cache
def enrol_step(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return redirect("staff-login")
    locked = _locked_out(request, user.get_username())
    if locked is not None:
        return locked
    if has_usable_second_factor(user):
        return redirect("staff-login-verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = create_backup_codes(user)
            next_url = _complete(request, user, device).url
            request.session["_new_backup_codes"] = codes
            request.session["_after_backup_codes"] = next_url
            return redirect("staff-backup-codes")
        _fail(request, user.get_username())
        error = _("The code does not match. Check the time on your phone and try again.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "staff/enrol.html",
        {"form": form, "error": error, "qr_svg": _qr_svg(device.config_url), "secret": secret},
    )


def create_backup_codes(user: StaffUser, count: int = BACKUP_CODES) -> list[str]:
    """Replace the user's backup codes with `count` new single-use codes."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="Backup codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        return redirect("staff-login")
    return render(request, "staff/logout.html")


@never_cache
def backup_codes_view(request: HttpRequest) -> HttpResponse:
    """Shows freshly made backup codes exactly once."""
    codes = request.session.pop("_new_backup_codes", None)
    if not codes or not request.user.is_authenticated:
        return redirect("staff-login")
    return render(
        request, "staff/backup_codes.html", {"codes": codes, "next": request.session.pop("_after_backup_codes", "/")}
    )
