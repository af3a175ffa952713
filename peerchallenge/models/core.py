"""The shared core: tenants (alliances), reference data (regions, councils), people, roles.

Tenant-owned models extend `AllianceOwned` (models/tenancy.py): the alliance foreign key and
a ScopedManager on the `alliance` dimension, so a query outside an alliance scope raises
ScopeError instead of returning every alliance's rows.
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from .tenancy import AllianceOwned


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person. Signs in with an email address; what they see comes from memberships."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    is_demo_account = models.BooleanField(
        default=False,
        help_text="Demo accounts may skip two-factor set-up, and only while demo mode is on.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Region(models.Model):
    """One of the nine English (ONS) regions."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OfstedGrade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class LocalAuthority(models.Model):
    """A council with children's services. Shared reference data, not owned by any alliance."""

    gss_code = models.CharField("ONS code", max_length=9, unique=True)
    dfe_code = models.CharField("DfE LA code", max_length=3, blank=True)
    name = models.CharField(max_length=100)
    official_name = models.CharField(max_length=200)
    la_type = models.CharField("type", max_length=50)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="councils")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "council"
        verbose_name_plural = "councils"

    def __str__(self):
        return self.name


def _logo_path(alliance: "Alliance", filename: str) -> str:
    # A random name: the uploaded name is never used as a path.
    return f"logos/{alliance.pk}/{uuid.uuid4().hex}"


class Alliance(models.Model):
    """The tenant: a regional improvement alliance, or the LGA (national)."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", "Regional improvement alliance"
        NATIONAL = "national", "National (LGA)"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REGIONAL)
    regions = models.ManyToManyField(
        Region, blank=True, related_name="alliances", help_text="For a regional alliance."
    )
    # A new value whenever an agreed action of the alliance is saved or deleted, in the same
    # transaction (models.actions): the key of what is cached about its actions (the Tier 2
    # boards' counts, the overview's overdue actions; peerchallenge.selectors). Random, not a
    # counter, so that a rolled-back change never gives its value to a later one.
    actions_state = models.UUIDField(default=uuid.uuid4, editable=False)
    # The logo on its reports' covers (PNG or JPEG, checked when uploaded). In the default
    # storage under a random name, which no URL serves: shown only through a view that checks
    # membership, and embedded in a PDF as a data: URI.
    report_logo = models.FileField(upload_to=_logo_path, max_length=200, blank=True)
    history = HistoricalRecords(m2m_fields=[regions], excluded_fields=["actions_state"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_national(self) -> bool:
        return self.kind == self.Kind.NATIONAL


class Role(models.TextChoices):
    ALLIANCE_ADMIN = "alliance_admin", "Alliance admin"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    COORDINATOR = "coordinator", "Coordinator / project support"
    CONSULTANT = "consultant", "Consultant / lead reviewer"
    PEER_REVIEWER = "peer_reviewer", "Peer reviewer"
    LA_ORGANISER = "la_organiser", "Council organiser"
    DCS = "dcs", "Director of children's services / sponsor"
    TIER2_MEMBER = "tier2_member", "Tier 2 group member"
    # The LGA's regional advisers, who quality-assure its peer challenges.
    PRINCIPAL_ADVISER = "principal_adviser", "LGA principal adviser"
    IMPROVEMENT_ADVISER = "improvement_adviser", "Children's improvement adviser (CIA)"
    # Keeps the alliance's benchmarking framework and loads its figures.
    DATA_LEAD = "data_lead", "Data lead"


# Roles held for one council; the membership names the council.
COUNCIL_ROLES = frozenset({Role.LA_ORGANISER, Role.DCS})
# Roles that may name a home council but need not.
OPTIONAL_COUNCIL_ROLES = frozenset({Role.PEER_REVIEWER})


def validate_role_council(role: str, local_authority) -> None:
    """A council role needs a council; an alliance-wide role must not have one."""
    if role in COUNCIL_ROLES and local_authority is None:
        raise ValidationError(
            {"local_authority": "Choose the council this person works for in this role."}
        )
    if role not in COUNCIL_ROLES | OPTIONAL_COUNCIL_ROLES and local_authority is not None:
        raise ValidationError(
            {"local_authority": "This role covers the whole alliance: leave the council empty."}
        )


class Membership(AllianceOwned):
    """A person holds one role in one alliance (optionally for one council)."""

    # Overridden for its reverse accessor, which is read: the alliance page uses
    # `alliance.memberships`, and `alliances_of` filters and prefetches by it.
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="council",
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user__full_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "user", "role", "local_authority"],
                name="membership_unique_role",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        council = f" ({self.local_authority})" if self.local_authority_id else ""
        return f"{self.user} — {self.get_role_display()}{council}"

    def clean(self):
        validate_role_council(self.role, self.local_authority)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
        )

    def for_token(self, token: str):
        return self.filter(token_hash=_hash_token(token))


class Invitation(AllianceOwned):
    """An alliance admin's invitation of a person by email, with a role.

    Only a hash of the token is stored: the link in the email is the only copy.
    """

    # Overridden only so that the migration state stays as it is: nothing reads
    # `alliance.invitations`; dropping the accessor is a state-only migration, for a day this
    # app makes one anyway.
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("email address")
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=30, choices=Role.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, verbose_name="council"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ScopedManager(
        alliance="alliance", _manager_class=models.Manager.from_queryset(InvitationQuerySet)
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "alliance",
                "role",
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_open_per_email_role",
            )
        ]

    def __str__(self):
        return f"{self.email} to {self.alliance} as {self.get_role_display()}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """A fresh token and the hash we keep of it."""
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.cancelled_at is None
            and self.expires_at > timezone.now()
        )


class AccessLog(AllianceOwned):
    """Who saw or downloaded what, and when. Written by the views that serve files, and by
    the changes to what the alliance's reports carry (its logo).

        Append-only: database triggers refuse every UPDATE and DELETE of its rows (migration
        0015_access_log_append_only); `peerchallenge.access_log.access_log_purge` is the one
        maintenance path that removes rows (docs/operations.md)."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        DOWNLOAD = "download", "Downloaded"
        EXPORT = "export", "Exported"
        CHANGE = "change", "Changed"

    # PROTECT, not CASCADE or SET_NULL: either would be a DELETE or UPDATE of log rows, which
    # the trigger refuses with a database error in the middle of someone's delete. PROTECT
    # makes Django refuse first, cleanly (ProtectedError, listed in the admin), and keeps the
    # log honest: a person or an alliance with entries goes only after the log is archived
    # and purged on purpose. (A text copy of who, with the key dropped, would let accounts go
    # but keep their names in the log regardless: no simpler, and no more private.)
    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["alliance", "-at"], name="accesslog_alliance_at")]

    def __str__(self):
        return f"{self.user} {self.get_action_display().lower()} {self.object_repr}"
