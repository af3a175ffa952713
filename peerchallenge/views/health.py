import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from ..heartbeat import TIMEOUT, heartbeats_stale


@login_not_required
@never_cache
def healthz(request):
    """Database, Redis, worker and beat status for load balancers and monitoring: 200 when
    all answer, 503 otherwise, naming what does not. Never hangs: the database has connect and
    statement timeouts (production settings), Redis a two-second one."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "unavailable"
    if settings.REDIS_URL:
        try:
            client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
            )
            client.ping()
            checks["redis"] = "ok"
        except redis.RedisError:
            checks["redis"] = "unavailable"
    else:
        checks["redis"] = "not configured (tasks run in-process)"
    if settings.REDIS_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        if checks["redis"] == "ok":
            stale = heartbeats_stale()
            for process in ("worker", "beat"):
                checks[process] = "unavailable" if process in stale else "ok"
        else:
            checks["worker"] = checks["beat"] = "unavailable"
    healthy = "unavailable" not in checks.values()
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
