from datetime import timedelta

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.sites.shortcuts import get_current_site
from django.utils import timezone
from django.utils.html import strip_tags

from .secrets_at_rest import secret_decrypt, secret_encrypt
from .services.email import outbox_add

# The pages of the first two-factor set-up: activating TOTP or adding a passkey or security
# key, then seeing the recovery codes that generated.
_ENROLMENT_URL_NAMES = {
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
}


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join through an alliance admin's invitation."""

    def is_open_for_signup(self, request):
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's messages (sign-in codes, password resets, notices) go through the outbox
        like every other email: queued now, delivered by a task, retried if the mail server
        is down. They carry secrets, so their bodies are erased once sent."""
        request = allauth_context.request
        # allauth's own context (request, site), then the message's; then its rendering.
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        text = message.body
        if message.content_subtype == "html":
            html, text = message.body, strip_tags(message.body)
        outbox_add(
            to=message.to,
            subject=message.subject,
            body_text=text,
            body_html=html,
            template=template_prefix,
            sensitive=True,
        )

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Everyone must set up a second factor straight after their first sign-in (see
        # RequireTwoFactorMiddleware). Asking for the password again during that set-up adds
        # nothing: a first authenticator weakens no one. So the enrolment pages need no
        # reauthentication while the person has no authenticator, or within the usual
        # reauthentication window after creating their first. Changing or removing an
        # authenticator later, or regenerating codes, still asks.
        request = getattr(self, "request", None)
        match = getattr(request, "resolver_match", None)
        if app == "allauth.mfa" and match and match.url_name in _ENROLMENT_URL_NAMES:
            authenticators = Authenticator.objects.filter(user=request.user)
            window = timezone.now() - timedelta(seconds=account_settings.REAUTHENTICATION_TIMEOUT)
            if not authenticators.filter(created_at__lt=window).exists():
                return False
        return super().is_reauthentication_required(app=app, **kwargs)


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor secrets are encrypted at rest (peerchallenge/secrets_at_rest.py)."""

    def encrypt(self, text: str) -> str:
        return secret_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secret_decrypt(encrypted_text)

    def generate_authenticator_name(self, user, type: Authenticator.Type) -> str:
        # The name a new passkey or security key gets unless the person gives one, in plain
        # words (allauth's are "Master key", "Backup key", "Key nr. 3").
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return f"Key {count + 1}"
