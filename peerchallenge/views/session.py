"""The session's clock for the page's timeout warning: how long is left (GET, writes
nothing) and "Stay signed in" (POST). Both answer JSON for the page's script; without
script the warning is never shown."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache

from ..session_clock import WARNING_SECONDS, session_clock_start, session_expires_in


def _clock(request) -> JsonResponse:
    return JsonResponse(
        {"expires_in": session_expires_in(request.session), "warn_before": WARNING_SECONDS}
    )


@method_decorator(never_cache, name="dispatch")
class SessionStatusView(View):
    def get(self, request):
        return _clock(request)


@method_decorator(never_cache, name="dispatch")
class SessionExtendView(View):
    def post(self, request):
        session_clock_start(request.session)
        if request.headers.get("Accept", "").startswith("application/json"):
            return _clock(request)
        # The form posted without script: back to the page it was on.
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = "/"
        return redirect(next_url)
