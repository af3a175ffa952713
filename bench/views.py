"""The benchmark's floor: the cheapest page a signed-in person can ask for.

It runs the whole middleware stack (session, user, two-factor check, alliance scope) and
nothing else, so its cost is what every page pays before its own work.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def floor(request):
    # Signed-in only: LoginRequiredMiddleware sends anyone else to sign in.
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
