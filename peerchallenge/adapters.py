from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: people join through an alliance admin's invitation."""

    def is_open_for_signup(self, request):
        return False
