"""The backend that signs people in (allauth's) and loads the signed-in person on every
request, with whether they have set up a second factor (an authenticator app, or a passkey
or security key) read in the same query: the two-factor gate (peerchallenge.middleware) asks
it on every page, and a query of its own there was one more on every page."""

from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef


class SignInBackend(AuthenticationBackend):
    def get_user(self, user_id):
        # Any authenticator but recovery codes: they only stand in for an app or a key, and
        # allauth removes them with the last of those.
        second_factor = Authenticator.objects.filter(user=OuterRef("pk")).exclude(
            type=Authenticator.Type.RECOVERY_CODES
        )
        user = (
            get_user_model()
            ._default_manager.annotate(has_second_factor=Exists(second_factor))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
