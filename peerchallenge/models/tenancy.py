"""The tenancy rule, said once: what an alliance owns, and how its rows are found."""

from django.db import models
from django_scopes import ScopedManager


class AllianceOwned(models.Model):
    """A row owned by one alliance (the tenant).

    The rule: every tenant-owned row names its alliance, and its default manager is scoped on
    the `alliance` dimension (django-scopes). Inside `scope(alliance=...)`, entered once by
    `AllianceMiddleware` (or by a task for the alliance it was given), a query sees only that
    alliance's rows; outside any scope it raises `ScopeError` rather than return every
    alliance's rows, so a forgotten filter fails closed. `scopes_disabled()` is for task entry
    points, factories, migrations and truly cross-alliance reads, each saying why.

    The foreign key has no reverse accessor: an alliance's rows are read through the scoped
    manager, not `alliance.<things>`. A model that needs one, or another `on_delete`, overrides
    the field and says why. A model that needs another default manager declares its own
    `objects`, still a `ScopedManager(alliance="alliance", ...)`; tests/test_alliance_owned.py
    checks both halves for every model that carries an alliance.
    """

    # A string reference: core.py, which defines Alliance, builds its own models on this one.
    alliance = models.ForeignKey(
        "peerchallenge.Alliance", on_delete=models.CASCADE, related_name="+"
    )

    objects = ScopedManager(alliance="alliance")

    class Meta:
        abstract = True
