"""The request path: who you are, which alliance you are in, and the scope queries run in."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_scopes import scope, scopes_disabled

from .form_tokens import Replay, form_token_claim, form_token_finish, form_token_of
from .models import Alliance
from .permissions import alliance_ids_of, roles_in

# Pages a signed-in person without two-factor authentication may still reach: setting it
# up, signing out, confirming an email address, accepting an invitation, keeping the
# session going while doing so, static files.
_MFA_EXEMPT_URL_NAMES = {
    "mfa_activate_totp",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_add_webauthn",
    "account_logout",
    "account_confirm_email",
    "account_email_verification_sent",
    "invitation_accept",
    "healthz",
    "calendar_feed",
    "session_status",
    "session_extend",
    # The service's own pages: anyone may read them (peerchallenge/views/service_pages.py).
    "service_accessibility",
    "service_cookies",
    "service_privacy",
    "service_contact",
}


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


def needs_two_factor_setup(user) -> bool:
    if not user.is_authenticated:
        return False
    if settings.DEMO_MODE and user.is_demo_account:
        return False
    # An authenticator app or a passkey or security key, read with the person (auth_backends).
    has_second_factor = getattr(user, "has_second_factor", None)
    if has_second_factor is None:
        has_second_factor = (
            Authenticator.objects.filter(user=user)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
            .exists()
        )
    return not has_second_factor


class RequireTwoFactorMiddleware:
    """Nobody sees anything until they have set up TOTP (demo accounts in demo mode aside)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not request.path_info.startswith(settings.STATIC_URL)
            and _url_name(request) not in _MFA_EXEMPT_URL_NAMES
            and needs_two_factor_setup(request.user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class AllianceMiddleware:
    """Resolves the alliance from the URL (`/a/<alliance>/...`) and runs the view in its scope.

    A signed-in person who is not a member of that alliance gets 404, whether or not the
    alliance exists. Outside alliance URLs, the scope is the union of the person's own
    alliances (empty for an anonymous visitor), so a tenant-owned query can never reach an
    alliance the person does not belong to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.alliance = None
        request.alliance_roles = frozenset()
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None

        if match is not None and "alliance" in match.kwargs:
            if not request.user.is_authenticated:
                # LoginRequiredMiddleware sends the visitor to sign in; reveal nothing here.
                with scope(alliance=[]):
                    return self.get_response(request)
            alliance = self._alliance_for(request, match.kwargs["alliance"])
            request.alliance = alliance
            request.alliance_roles = roles_in(request.user, alliance.pk)
            with scope(alliance=alliance):
                return self.get_response(request)

        if match is not None and match.app_name == "admin":
            # The Django admin is the superuser's cross-alliance tool; it sits behind
            # allauth sign-in with two factors and django-axes.
            with scopes_disabled():
                return self.get_response(request)

        with scope(alliance=alliance_ids_of(request.user)):
            return self.get_response(request)

    @staticmethod
    def _alliance_for(request, slug: str) -> Alliance:
        alliance = Alliance.objects.filter(slug=slug).first()
        if alliance is None or not roles_in(request.user, alliance.pk):
            raise Http404("No such alliance.")
        return alliance


class FormTokenMiddleware:
    """A POST whose one-time form token was used already does not run its view again: it
    is sent where the first submission's answer sent the person, with "This form was
    already sent" (or, while the first is still being done, answered 409). See
    peerchallenge.form_tokens. In process_view, so CSRF, sign-in and the alliance's 404
    come first and a refused request uses no token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        submission = getattr(request, "_form_submission", None)
        if submission is not None:
            form_token_finish(submission=submission, response=response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        token = form_token_of(request)
        if token is None:
            return None
        claim = form_token_claim(token=token, user=request.user, path=request.path)
        if isinstance(claim, Replay):
            return form_already_sent(request, result_url=claim.result_url)
        request._form_submission = claim
        return None


def form_already_sent(request, *, result_url: str):
    if result_url:
        messages.info(request, "This form was already sent, so it was not sent again.")
        return redirect(result_url)
    # Back to the page the form was on (many POST addresses answer no GET).
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    again_url = referer if referer and safe else reverse("home")
    return render(request, "form_already_sent.html", {"again_url": again_url}, status=409)
