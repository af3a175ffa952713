"""The access log as an alliance's admins read it, and its one maintenance path.

Rows are written by `services.access_log_record` wherever a sensitive thing is downloaded,
viewed or exported, and never changed: the database refuses UPDATE and DELETE (migration
0015_access_log_append_only). `access_log_purge` is how an operator removes rows on purpose,
after archiving them (docs/operations.md).
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import AccessLog, Alliance, LocalAuthority, Tier2Group, User


@dataclass(frozen=True)
class AccessLogFilters:
    user: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None  # inclusive: the whole of that day

    @property
    def any(self) -> bool:
        return bool(self.user or self.date_from or self.date_to)


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of a day in the service's time zone (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_log_of(*, alliance: Alliance, filters: AccessLogFilters) -> QuerySet[AccessLog]:
    """The alliance's log, newest first, filtered by person and by local dates."""
    logs = AccessLog.objects.filter(alliance=alliance).select_related("user")
    if filters.user:
        logs = logs.filter(user_id=filters.user)
    if filters.date_from:
        logs = logs.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to:
        logs = logs.filter(at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
    return logs.order_by("-at", "-pk")


def access_log_people(*, alliance: Alliance) -> QuerySet[User]:
    """Everyone with a line in the alliance's log (former members too), by name: the
    choices of the person filter. One query, however long the log."""
    return User.objects.filter(
        pk__in=AccessLog.objects.filter(alliance=alliance).values("user_id")
    ).order_by("full_name", "email")


@dataclass(frozen=True)
class AccessLogLine:
    log: AccessLog
    what: str  # what was seen, in words
    href: str  # where the viewer may open it; empty when they may not, or it is gone


def access_log_lines(*, logs: list[AccessLog], user, alliance: Alliance) -> list[AccessLogLine]:
    """Each entry of a page described for people, linked to the thing only where this viewer
    may open it. One query per kind of linked thing on the page, never one per row; the
    permission asked is the alliance-wide one (the role's), so asking costs no query either.
    Reports and documents stay text: their pages belong to the offers, and a link to the
    file itself would be one more download in the log."""
    ids: dict[str, set[int]] = {}
    for log in logs:
        if log.object_id.isdigit():
            ids.setdefault(log.object_type, set()).add(int(log.object_id))

    plan_urls: dict[str, str] = {}
    if ids.get("peerchallenge.LocalAuthority") and user.has_perm(
        "peerchallenge.view_improvement_plans", alliance
    ):
        for pk, gss in LocalAuthority.objects.filter(
            pk__in=ids["peerchallenge.LocalAuthority"]
        ).values_list("pk", "gss_code"):
            plan_urls[str(pk)] = reverse(
                "improvement_plan", kwargs={"alliance": alliance.slug, "gss": gss}
            )

    board_urls: dict[str, str] = {}
    if ids.get("peerchallenge.Tier2Group") and user.has_perm(
        "peerchallenge.view_tier2group", alliance
    ):
        for pk in Tier2Group.objects.filter(
            alliance=alliance, pk__in=ids["peerchallenge.Tier2Group"]
        ).values_list("pk", flat=True):
            board_urls[str(pk)] = reverse(
                "tier2_board", kwargs={"alliance": alliance.slug, "group": pk}
            )

    lines = []
    for log in logs:
        name = log.object_repr
        if log.object_type == "peerchallenge.LocalAuthority":
            what, href = f"{name}'s improvement plan (PDF)", plan_urls.get(log.object_id, "")
        elif log.object_type == "peerchallenge.Tier2Group":
            what, href = (
                f"The actions of the Tier 2 group {name}",
                board_urls.get(log.object_id, ""),
            )
        elif log.object_type == "reports.ReportVersion":
            what, href = f"Report: {name}", ""
        elif log.object_type == "peerchallenge.DocumentVersion":
            what, href = f"Document: {name}", ""
        else:
            what, href = name, ""
        lines.append(AccessLogLine(log=log, what=what, href=href))
    return lines


TABLE = AccessLog._meta.db_table


@transaction.atomic
def access_log_purge(*, alliances=None, users=None, before=None) -> int:
    """Delete the access log's rows of these alliances or these people (either), written
    before `before` if given, and nothing else: the maintenance path (archiving with
    `manage.py access_log_archive`, the benchmark's reset). The append-only trigger is off
    for this transaction only: PostgreSQL's ALTER TABLE is transactional, and it holds the
    table's lock until the end, so no other session writes or deletes unguarded meanwhile;
    SQLite's triggers are dropped and created again from their own stored SQL, also inside
    the transaction. Returns the number of rows deleted."""
    if alliances is None and users is None and before is None:
        raise ValueError("Name the alliances, the people or the date whose access log goes.")
    condition = Q()
    if alliances is not None or users is not None:
        condition = Q(pk__in=[])
        if alliances is not None:
            condition |= Q(alliance__in=alliances)
        if users is not None:
            condition |= Q(user__in=users)
    if before is not None:
        condition &= Q(at__lt=before)
    # Maintenance across alliances (no request, no scope): the caller names what goes.
    with scopes_disabled(), connection.cursor() as cursor:
        rows = AccessLog.objects.filter(condition)
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while the transaction has deferred foreign-key checks
            # pending on the table (lines written earlier in it): run them now, then return
            # to Django's default (its foreign keys are all INITIALLY DEFERRED).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(
                f"ALTER TABLE {TABLE} DISABLE TRIGGER peerchallenge_accesslog_append_only"
            )
            deleted = rows._raw_delete(rows.db) or 0
            cursor.execute(
                f"ALTER TABLE {TABLE} ENABLE TRIGGER peerchallenge_accesslog_append_only"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            deleted = rows._raw_delete(rows.db) or 0
            for _name, sql in triggers:
                cursor.execute(sql)
    return deleted
