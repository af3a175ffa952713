from django.conf import settings

from .session_clock import WARNING_SECONDS, draft_owner_key, session_expires_in


def site(request):
    context = {
        "demo_mode": settings.DEMO_MODE,
        "alliance": getattr(request, "alliance", None),
        "alliance_roles": getattr(request, "alliance_roles", frozenset()),
    }
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)  # none on a request built outside the stack
    if user is not None and user.is_authenticated and session is not None:
        # For the timeout warning and the kept drafts (base.html's <body>).
        expires_in = session_expires_in(session)
        context["session_expires_in"] = "" if expires_in is None else expires_in
        context["draft_owner"] = draft_owner_key(user)
        context["session_warn_before"] = WARNING_SECONDS
    return context
