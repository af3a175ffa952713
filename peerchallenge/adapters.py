from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join through an alliance admin's invitation."""

    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Everyone must set up TOTP straight after their first sign-in (see
        # RequireTwoFactorMiddleware); asking for the password again at that moment adds
        # nothing, since adding a first authenticator weakens no one. Changing or removing
        # an authenticator, and regenerating recovery codes, still ask.
        match = getattr(getattr(self, "request", None), "resolver_match", None)
        if app == "allauth.mfa" and match and match.url_name == "mfa_activate_totp":
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(self.request.user):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
