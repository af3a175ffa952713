from django.conf import settings


def site(request):
    return {
        "demo_mode": settings.DEMO_MODE,
        "alliance": getattr(request, "alliance", None),
        "alliance_roles": getattr(request, "alliance_roles", frozenset()),
    }
