import sys

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template
from django.views.decorators.csrf import requires_csrf_token

# Seconds a browser or client is asked to wait before trying again during a database outage.
RETRY_AFTER = 30


def bad_request(request, exception=None):
    """400: for a body past DATA_UPLOAD_MAX_MEMORY_SIZE or with too many fields, "What you
    sent was too long" (a person pasted a huge text, or a script sent one); any other bad
    request (a forged host, a broken cookie) the plain GOV.UK page. Rendered like 403 and
    404, in the site's layout; the request may not have reached the sign-in middleware."""
    too_long = isinstance(exception, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent))
    return render(request, "400.html", {"too_long": too_long}, status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


@requires_csrf_token
def server_error(request):
    """Django's 500 page, except that a database we cannot reach (connection refused, dropped
    or timed out) is a 503 "try again shortly" with Retry-After: nothing is wrong with what
    the person did, and it will pass."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        # Standalone template, rendered without a request: the database may be down.
        response = HttpResponse(get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponseServerError(get_template("500.html").render())
