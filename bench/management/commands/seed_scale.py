"""National-scale data for the benchmark: 10 alliances, about 2,000 people, their memberships;
on request a Tier 2 board of actions and an LGA peer challenge with its on-site timetable.

Every object it creates is marked as benchmark data: alliance slugs start `bench-`, people's
addresses are `bench-user-NNNN@example.org`. `--reset` deletes exactly those and nothing else.
"""

import datetime
import random
import time

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from bench.board import (
    MIXED_SLUG,
    TIER2_GROUP_NAME,
    board_actions_present,
    board_reset,
    board_seed,
)
from bench.cspc import (
    CSPC_OFFER_NAME,
    MAX_SESSIONS,
    cspc_challenge_create,
    cspc_peers,
    cspc_team_create,
    cspc_timetable_create,
    next_monday,
)
from lga_cspc.models import Challenge, Offer, Stage
from peerchallenge.access_log import access_log_purge
from peerchallenge.models import (
    Alliance,
    LocalAuthority,
    Membership,
    Region,
    Role,
    Session,
    User,
)

ALLIANCE_PREFIX = "bench-"
NATIONAL_SLUG = "bench-national"
EMAIL_PATTERN = "bench-user-{:04d}@example.org"
EMAIL_PREFIX = "bench-user-"

FIRST_NAMES = [
    "Aisha", "Alex", "Amara", "Bethan", "Callum", "Chidi", "Dev", "Eilidh", "Farah", "Gareth",
    "Hana", "Imran", "Jade", "Kofi", "Lena", "Marcus", "Niamh", "Oren", "Priya", "Quinn",
    "Rosa", "Sami", "Tamsin", "Uma", "Viktor", "Wren", "Yusuf", "Zara", "Ben", "Cerys",
    "Dara", "Esme", "Finn", "Grace", "Hamid", "Isla", "Joel", "Kiran", "Lola", "Milo",
]  # fmt: skip
LAST_NAMES = [
    "Achterberg", "Bramwell", "Castellan", "Dunmore", "Eskdale", "Fairholm", "Glenister",
    "Harrowby", "Ilsworth", "Jessop", "Kettleby", "Lindqvist", "Marchbank", "Northcott",
    "Okonjo", "Pemberton", "Quarrie", "Rookwood", "Saltmarsh", "Thistlewood", "Underhill",
    "Vasquez-Reed", "Wetherall", "Yardley", "Zielinski", "Ashdown", "Birtles", "Cromarty",
    "Delacourt", "Elphick", "Fenwick", "Gillingham", "Hollis", "Ibbotson", "Jarrow",
]  # fmt: skip
JOB_TITLES = {
    Role.ALLIANCE_ADMIN: "Alliance administrator",
    Role.PROGRAMME_MANAGER: "Sector-led improvement programme manager",
    Role.COORDINATOR: "Project support officer",
    Role.CONSULTANT: "Independent consultant",
    Role.PEER_REVIEWER: "Head of service",
    Role.LA_ORGANISER: "Quality assurance manager",
    Role.DCS: "Director of children's services",
    Role.TIER2_MEMBER: "Assistant director",
}
# The first people in each alliance hold the managing roles (so every alliance has enough
# people who may see its member list); the rest are drawn from these weights.
LEADING_ROLES = [Role.ALLIANCE_ADMIN] * 2 + [Role.PROGRAMME_MANAGER] * 3 + [Role.COORDINATOR] * 6
OTHER_ROLES = [
    (Role.CONSULTANT, 6),
    (Role.PEER_REVIEWER, 40),
    (Role.LA_ORGANISER, 22),
    (Role.DCS, 7),
    (Role.TIER2_MEMBER, 25),
]
MANAGING_ROLES = (Role.ALLIANCE_ADMIN, Role.PROGRAMME_MANAGER, Role.COORDINATOR)
# The LGA peer challenge (`--cspc-sessions`): on site about three months ahead, in the
# council of the national alliance's first DCS, who is its sponsor.
CSPC_WEEKS_AHEAD = 13
SECOND_ROLE_CHANCE = 0.05
NATIONAL_EVERY = 5  # every fifth person is also in the national alliance


class Command(BaseCommand):
    help = (
        "Seed national-scale benchmark data: 9 regional alliances and a national one, "
        "about 2,000 people with memberships, TOTP and verified email addresses."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=2000, help="How many people (2000).")
        parser.add_argument("--seed", type=int, default=2025, help="Random seed (2025).")
        parser.add_argument(
            "--actions",
            type=int,
            default=0,
            help="Also seed this many actions on a Tier 2 board of a regional alliance of every "
            "region, from triad cycles, thematic events and on-demand reviews (0).",
        )
        parser.add_argument(
            "--cspc-sessions",
            type=int,
            default=0,
            help="Also seed an LGA peer challenge in the national alliance with a team and "
            f"this many on-site timetable sessions over 4 days (0; at most {MAX_SESSIONS}).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the bench-* alliances and bench-user-* people first.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG and PEERCHALLENGE_BENCH are both off.",
        )

    def handle(self, *args, users, seed, actions, cspc_sessions, reset, force, **options):
        if not (settings.DEBUG or getattr(settings, "PEERCHALLENGE_BENCH", False) or force):
            raise CommandError(
                "Refusing to seed 2,000 benchmark accounts: DEBUG and PEERCHALLENGE_BENCH are "
                "off. Use a benchmark database, or pass --force."
            )
        if not 1 <= users <= 9999:
            raise CommandError("--users must be between 1 and 9999.")
        if not 0 <= actions <= 100_000:
            raise CommandError("--actions must be between 0 and 100000.")
        if not 0 <= cspc_sessions <= MAX_SESSIONS:
            raise CommandError(f"--cspc-sessions must be between 0 and {MAX_SESSIONS}.")
        started = time.perf_counter()
        # A seeding entry point works across every alliance it creates: there is no request,
        # so no alliance scope to run in.
        with scopes_disabled():
            if reset:
                self._reset()
            if not reset and self._exists():
                self.stdout.write("Benchmark data already present; use --reset to recreate it.")
            else:
                with transaction.atomic():
                    self._seed(users=users, rng=random.Random(seed))
            if actions and self._actions_present() != actions:
                with transaction.atomic():
                    self._reset_actions()
                    self._seed_actions(count=actions, rng=random.Random(seed + 1))
                # Fresh statistics: autovacuum gets to 10,000 new rows in its own time, and
                # until then the planner takes the board's actions for a handful of rows.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "ANALYZE peerchallenge_action, peerchallenge_actionupdate, "
                        "thematic_thematicevent, thematic_thematicevent_councils, "
                        "ondemand_review, triads_cycle"
                    )
            elif actions:
                self.stdout.write(f"{actions} benchmark actions already present.")
            if cspc_sessions and self._cspc_sessions_present() != cspc_sessions:
                with transaction.atomic():
                    self._reset_cspc()
                    self._seed_cspc(count=cspc_sessions)
            elif cspc_sessions:
                self.stdout.write(f"{cspc_sessions} benchmark timetable sessions already present.")
        self._step("total", started)

    def _step(self, label, since):
        self.stdout.write(f"  {label:<28} {time.perf_counter() - since:7.2f} s")

    @staticmethod
    def _exists() -> bool:
        return (
            Alliance.objects.filter(slug__startswith=ALLIANCE_PREFIX).exists()
            or User.objects.filter(email__startswith=EMAIL_PREFIX).exists()
        )

    @staticmethod
    def _actions_present() -> int:
        return board_actions_present()

    @staticmethod
    def _cspc_sessions_present() -> int:
        """The sessions on the timetable of the national bench alliance's peer challenge."""
        challenge_ids = Challenge.objects.filter(
            alliance__slug=NATIONAL_SLUG, offer__name=CSPC_OFFER_NAME
        ).values_list("pk", flat=True)
        return Session.objects.filter(
            alliance__slug=NATIONAL_SLUG,
            challenge_type=ContentType.objects.get_for_model(Challenge),
            challenge_id__in=list(challenge_ids),
        ).count()

    @staticmethod
    def _reset_cspc():
        """Delete the bench alliances' peer challenges (their teams, case reviews and the
        rest go with them), their timetable sessions and the offers. Through the ORM: they
        are a few dozen rows, written with their history."""
        alliances = Alliance.objects.filter(slug__startswith=ALLIANCE_PREFIX)
        Session.objects.filter(alliance__in=alliances).delete()
        Challenge.objects.filter(alliance__in=alliances).delete()
        Offer.objects.filter(alliance__in=alliances).delete()

    @staticmethod
    def _reset_actions():
        """Delete the bench alliances' actions, their sources and Tier 2 groups, and the
        mixed board's alliance (`bench.board.board_reset`)."""
        board_reset(Alliance.objects.filter(slug__startswith=ALLIANCE_PREFIX))

    def _reset(self):
        started = time.perf_counter()
        with transaction.atomic():
            alliances = Alliance.objects.filter(slug__startswith=ALLIANCE_PREFIX)
            people = User.objects.filter(email__startswith=EMAIL_PREFIX)
            # The benchmark's downloads are in the access log, which protects its people and
            # alliances and refuses ordinary deletes: its maintenance path goes first.
            access_log_purge(alliances=alliances, users=people)
            self._reset_actions()
            self._reset_cspc()
            # Memberships go in raw deletes: bulk_create wrote no history for them, and a
            # raw delete sends no per-row signals, so simple_history adds none either.
            Membership.objects.filter(alliance__in=alliances)._raw_delete("default")
            Membership.objects.filter(user__in=people)._raw_delete("default")
            alliances.delete()
            people.delete()
        self._step("reset", started)

    def _seed(self, *, users: int, rng: random.Random):
        started = time.perf_counter()
        regions = list(Region.objects.order_by("name"))
        councils_by_region: dict[int, list[LocalAuthority]] = {}
        for council in LocalAuthority.objects.order_by("gss_code"):
            councils_by_region.setdefault(council.region_id, []).append(council)
        every_council = [c for region in regions for c in councils_by_region.get(region.pk, [])]
        if len(regions) != 9 or len(every_council) != 153:
            raise CommandError(
                f"Expected 9 regions and 153 councils from the migrations, found "
                f"{len(regions)} and {len(every_council)}."
            )

        alliances = Alliance.objects.bulk_create(
            [
                Alliance(
                    name=f"Bench {region.name} alliance",
                    short_name=f"Bench {region.name}"[:40],
                    slug=f"{ALLIANCE_PREFIX}{region.slug}",
                    kind=Alliance.Kind.REGIONAL,
                )
                for region in regions
            ]
            + [
                Alliance(
                    name="Bench national (LGA)",
                    short_name="Bench LGA",
                    slug=NATIONAL_SLUG,
                    kind=Alliance.Kind.NATIONAL,
                )
            ]
        )
        regional, national = alliances[:-1], alliances[-1]
        Alliance.regions.through.objects.bulk_create(
            [
                Alliance.regions.through(alliance_id=alliance.pk, region_id=region.pk)
                for alliance, region in zip(regional, regions, strict=True)
            ]
        )
        councils_of = {
            alliance.pk: councils_by_region[region.pk]
            for alliance, region in zip(regional, regions, strict=True)
        }
        councils_of[national.pk] = every_council
        self._step(f"{len(alliances)} alliances", started)

        started = time.perf_counter()
        # Nobody signs in to a benchmark account with a password: the benchmark makes sessions
        # directly, so every account gets an unusable one.
        unusable = make_password(None)
        people = User.objects.bulk_create(
            [
                User(
                    email=EMAIL_PATTERN.format(number),
                    full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    password=unusable,
                    is_demo_account=True,
                )
                for number in range(1, users + 1)
            ],
            batch_size=1000,
        )
        self._step(f"{len(people)} people", started)

        started = time.perf_counter()
        members_of: dict[int, list[User]] = {alliance.pk: [] for alliance in alliances}
        for index, person in enumerate(people):
            members_of[regional[index % len(regional)].pk].append(person)
            if index % NATIONAL_EVERY == 0:
                members_of[national.pk].append(person)
        roles, weights = zip(*OTHER_ROLES, strict=True)
        memberships = []
        job_titles = {}
        for alliance in alliances:
            councils = councils_of[alliance.pk]
            for position, person in enumerate(members_of[alliance.pk]):
                if position < len(LEADING_ROLES):
                    role = LEADING_ROLES[position]
                else:
                    role = rng.choices(roles, weights)[0]
                held = [role]
                if rng.random() < SECOND_ROLE_CHANCE:
                    held.append(
                        Role.TIER2_MEMBER if role == Role.PEER_REVIEWER else Role.PEER_REVIEWER
                    )
                for each in held:
                    council = None
                    if each in (Role.LA_ORGANISER, Role.DCS) or (
                        each == Role.PEER_REVIEWER and rng.random() < 0.5
                    ):
                        council = rng.choice(councils)
                    memberships.append(
                        Membership(
                            alliance=alliance, user=person, role=each, local_authority=council
                        )
                    )
                job_titles.setdefault(person.pk, JOB_TITLES[role])
        Membership.objects.bulk_create(memberships, batch_size=1000)
        for person in people:
            person.job_title = job_titles.get(person.pk, "")
        User.objects.bulk_update(people, ["job_title"], batch_size=1000)
        self._step(f"{len(memberships)} memberships", started)

        started = time.perf_counter()
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=person, email=person.email, verified=True, primary=True)
                for person in people
            ],
            batch_size=1000,
        )
        # Two-factor set up, so RequireTwoFactorMiddleware lets them in without demo mode.
        # Stored as allauth's TOTP.activate() stores it; the secrets are random, not seeded:
        # nothing needs to reproduce them, and a guessable second factor helps nobody.
        Authenticator.objects.bulk_create(
            [
                Authenticator(
                    user=person,
                    type=Authenticator.Type.TOTP,
                    data={"secret": encrypt(generate_totp_secret())},
                )
                for person in people
            ],
            batch_size=1000,
        )
        self._step("email addresses and TOTP", started)

        for alliance in alliances:
            count = sum(1 for m in memberships if m.alliance is alliance)
            self.stdout.write(f"  {alliance.slug:<40} {count:5d} memberships")

    def _seed_actions(self, *, count: int, rng: random.Random):
        """The Tier 2 board (`bench/board.py`): `count` actions across the 153 councils of
        a regional alliance of every region, from triad cycles, thematic events and
        on-demand reviews. Bulk inserts without history rows."""
        started = time.perf_counter()
        made = board_seed(count=count, rng=rng)
        cycles, events, reviews = made["sources"]
        self._step(
            f"{len(made['actions'])} actions ({made['overdue']} overdue), "
            f"{made['updates']} updates",
            started,
        )
        offers = ", ".join(f"{offer} {n}" for offer, n in made["by_offer"].items())
        self.stdout.write(
            f"  {MIXED_SLUG}: Tier 2 group {made['group'].pk} '{TIER2_GROUP_NAME}'; "
            f"{cycles} triad cycles, {events} thematic events, {reviews} on-demand reviews; "
            f"actions by offer: {offers}"
        )

    def _seed_cspc(self, *, count: int):
        """An LGA peer challenge of the national alliance in preparation: the council of its
        first DCS (the sponsor; the council's organiser, if it has one, the organiser), a
        peer team of 6 and an on-site timetable of `count` sessions over 4 days, added
        through the CSPC's timetable service (its rules and clash checks apply)."""
        started = time.perf_counter()
        national = Alliance.objects.get(slug=NATIONAL_SLUG)
        if national.kind != Alliance.Kind.NATIONAL:
            # lga_cspc's pages answer 404 outside a national alliance.
            raise CommandError(f"{NATIONAL_SLUG} is not a national alliance.")
        planner = (
            Membership.objects.filter(alliance=national, role=Role.PROGRAMME_MANAGER)
            .select_related("user")
            .order_by("user_id")
            .first()
        )
        if planner is None:
            raise CommandError("No programme manager in the national bench alliance.")
        dcs = (
            Membership.objects.filter(
                alliance=national, role=Role.DCS, local_authority__isnull=False
            )
            .select_related("user", "local_authority")
            .order_by("user_id")
            .first()
        )
        if dcs is not None:
            council, sponsor = dcs.local_authority, dcs.user
        else:
            council, sponsor = LocalAuthority.objects.order_by("gss_code").first(), None
        organiser = (
            Membership.objects.filter(
                alliance=national, role=Role.LA_ORGANISER, local_authority=council
            )
            .select_related("user")
            .order_by("user_id")
            .first()
        )
        challenge = cspc_challenge_create(
            alliance=national,
            council=council,
            onsite_start=next_monday(
                timezone.localdate() + datetime.timedelta(weeks=CSPC_WEEKS_AHEAD)
            ),
            stage=Stage.PREPARATION,
            requested_by=sponsor or planner.user,
            sponsor=sponsor,
            organiser=organiser.user if organiser else None,
        )
        try:
            people = cspc_peers(alliance=national, council=council)
        except ValueError as error:
            raise CommandError(str(error)) from error
        cspc_team_create(challenge=challenge, people=people)
        sessions = cspc_timetable_create(challenge=challenge, count=count, user=planner.user)
        self._step(f"peer challenge, {len(sessions)} sessions", started)
        self.stdout.write(
            f"  LGA peer challenge {challenge.pk} of {council.name}, on site from "
            f"{challenge.onsite_start:%Y-%m-%d}"
        )
