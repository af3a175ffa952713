"""Demo data: three alliances and invented people holding every role, for trying the app.

Every name and address here is invented (addresses at example.org); the Ofsted grades are
illustrative, not the councils' real judgements. `seed_demo` is idempotent: each row is found
by its natural key (alliance slug, email address, membership role and council), created if
missing and otherwise changed only where it differs, so running it twice changes nothing.
"""

from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from .models import (
    Alliance,
    Invitation,
    Membership,
    OfstedGrade,
    OfstedJudgement,
    Region,
    Role,
    User,
    validate_role_council,
)
from .selectors import councils_of_alliance
from .services import ofsted_load

# The demo's dates are written as they read on this day. Seeded on another day, every written
# date moves by the whole weeks in between (weekdays kept), so whenever a newcomer runs the
# demo there are past challenges with reports, work in progress at every stage and events
# ahead, as on this day.
WRITTEN_FOR = date(2026, 11, 30)


def demo_day(day: date) -> date:
    """`day`, a date written in the demo data, moved to read the same from today."""
    weeks = (timezone.localdate() - WRITTEN_FOR).days // 7
    return day + timedelta(weeks=weeks)


DEFAULT_PASSWORD = "peer-challenge-demo"  # noqa: S105 - the published demo password
EM, LONDON, LGA = "east-midlands", "london", "lga"

# slug: (name, short name, kind, regions)
ALLIANCES = {
    EM: (
        "East Midlands Regional Improvement and Innovation Alliance",
        "East Midlands RIIA",
        Alliance.Kind.REGIONAL,
        ["East Midlands"],
    ),
    LONDON: (
        "London Innovation and Improvement Alliance",
        "LIIA",
        Alliance.Kind.REGIONAL,
        ["London"],
    ),
    LGA: ("Local Government Association", "LGA", Alliance.Kind.NATIONAL, []),
}

# Alliance-wide people: name, job title, roles as (alliance, role, council or None).
# A person is their email address (first.last@example.org): a name that appears again here
# or in COUNCIL_PEOPLE is the same person with one more role.
PEOPLE = [
    ("Helen Marchant", "Business support manager", [(EM, Role.ALLIANCE_ADMIN, None)]),
    ("Priya Shah", "Improvement programme manager", [(EM, Role.PROGRAMME_MANAGER, None)]),
    ("Tom Ashworth", "Project support officer", [(EM, Role.COORDINATOR, None)]),
    ("Margaret Ellison", "Independent consultant", [(EM, Role.CONSULTANT, None)]),
    ("David Okafor", "Independent improvement consultant", [(EM, Role.CONSULTANT, None)]),
    ("Sunita Bains", "Head of children in care", [(EM, Role.PEER_REVIEWER, "Nottinghamshire")]),
    ("Gareth Lloyd", "Service manager, safeguarding", [(EM, Role.PEER_REVIEWER, "Lincolnshire")]),
    ("Rachel Whitmore", "Principal social worker", [(EM, Role.PEER_REVIEWER, "Leicester")]),
    ("Claire Donnelly", "Assistant director, early help", [(EM, Role.TIER2_MEMBER, None)]),
    ("Nikhil Varma", "Performance and intelligence lead", [(EM, Role.DATA_LEAD, None)]),
    ("Imran Qureshi", "Assistant director, education", [(EM, Role.TIER2_MEMBER, None)]),
    ("Grace Adeyemi", "Alliance administrator", [(LONDON, Role.ALLIANCE_ADMIN, None)]),
    ("Ben Hollis", "LIIA programme manager", [(LONDON, Role.PROGRAMME_MANAGER, None)]),
    ("Yasmin Rahman", "Programme support officer", [(LONDON, Role.COORDINATOR, None)]),
    ("Eleanor Pryce", "Data and insight lead", [(LONDON, Role.DATA_LEAD, None)]),
    (
        "Stephen Marlow",
        "Independent consultant and peer challenge manager",
        [(LONDON, Role.CONSULTANT, None), (LGA, Role.CONSULTANT, None)],
    ),
    ("Olumide Bankole", "Assistant director, safeguarding", [(LONDON, Role.TIER2_MEMBER, None)]),
    ("Naomi Fairweather", "Business support officer", [(LGA, Role.ALLIANCE_ADMIN, None)]),
    ("Richard Okoro", "Children's improvement adviser", [(LGA, Role.PROGRAMME_MANAGER, None)]),
    ("Chloe Bennett", "Project support officer", [(LGA, Role.COORDINATOR, None)]),
    ("Alison Greaves", "Peer challenge manager", [(LGA, Role.CONSULTANT, None)]),
    ("Mark Denholm", "Independent social work expert", [(LGA, Role.PEER_REVIEWER, None)]),
    # Also a council's DCS below: a DCS of one council is a peer reviewer for others.
    ("Fiona Calder", "", [(LGA, Role.PEER_REVIEWER, "Derby")]),
    ("Rosalind Cheung", "", [(LGA, Role.PEER_REVIEWER, "Lewisham")]),
    ("Beatrice Lomax", "LGA principal adviser", [(LGA, Role.PRINCIPAL_ADVISER, None)]),
    ("Declan Murray", "Children's improvement adviser", [(LGA, Role.IMPROVEMENT_ADVISER, None)]),
    # Councils' people taking part in an LGA peer challenge of their own council.
    ("Paul Ekwueme", "", [(LGA, Role.DCS, "Nottingham")]),
    ("Sophie Gallagher", "", [(LGA, Role.LA_ORGANISER, "Nottingham")]),
    ("Ruth Kavanagh", "", [(LGA, Role.DCS, "West Northamptonshire")]),
    ("Desmond Afolabi", "", [(LGA, Role.DCS, "Croydon")]),
]

# Each council's DCS and organiser: alliance, council, DCS, organiser.
COUNCIL_PEOPLE = [
    (EM, "Derby", "Fiona Calder", "Liam Hartley"),
    (EM, "Derbyshire", "Jonathan Reeve", "Kerry Blackburn"),
    (EM, "Leicester", "Amrit Sandhu", "Joanne Pratt"),
    (EM, "Leicestershire", "Catherine Lowe", "Daniel Fisher"),
    (EM, "Lincolnshire", "Martin Crossley", "Emma Tranter"),
    (EM, "North Northamptonshire", "Nadia Hussain", "Craig Wilmot"),
    (EM, "Nottingham", "Paul Ekwueme", "Sophie Gallagher"),
    (EM, "Nottinghamshire", "Elaine Wardle", "Matthew Boyce"),
    (EM, "Rutland", "Simon Thackeray", "Hannah Dyer"),
    (EM, "West Northamptonshire", "Ruth Kavanagh", "Oliver Shand"),
    (LONDON, "Hackney", "Adaeze Nwosu", "Kieran Walsh"),
    (LONDON, "Camden", "Harriet Langley", "Marco Bellini"),
    (LONDON, "Croydon", "Desmond Afolabi", "Lucy Brennan"),
    (LONDON, "Lewisham", "Rosalind Cheung", "Jamal Osei"),
    (LONDON, "Barnet", "Peter Galloway", "Anjali Mistry"),
    (LONDON, "Tower Hamlets", "Shazia Begum", "Connor Flynn"),
]
COUNCIL_TITLES = {
    Role.DCS: "Director of children's services",
    Role.LA_ORGANISER: "Quality assurance manager (peer challenge lead)",
}

# Illustrative ILACS judgements, loaded once as national reference data (one OfstedImport
# whose source says they are invented); a council's earlier judgements show its history.
OFSTED_EARLIER = {
    "Nottingham": (OfstedGrade.REQUIRES_IMPROVEMENT, date(2021, 6, 18)),
    "Derbyshire": (OfstedGrade.GOOD, date(2018, 10, 5)),
    "Tower Hamlets": (OfstedGrade.REQUIRES_IMPROVEMENT, date(2020, 2, 14)),
}
OFSTED_SOURCE = "Demo data: invented Ofsted judgements, not Ofsted's"
OFSTED = {
    "Derby": (OfstedGrade.GOOD, date(2023, 3, 10)),
    "Derbyshire": (OfstedGrade.REQUIRES_IMPROVEMENT, date(2022, 11, 18)),
    "Leicester": (OfstedGrade.GOOD, date(2024, 2, 9)),
    "Leicestershire": (OfstedGrade.OUTSTANDING, date(2023, 6, 23)),
    "Lincolnshire": (OfstedGrade.OUTSTANDING, date(2022, 7, 15)),
    "North Northamptonshire": (OfstedGrade.REQUIRES_IMPROVEMENT, date(2024, 9, 27)),
    "Nottingham": (OfstedGrade.INADEQUATE, date(2025, 1, 31)),
    "Nottinghamshire": (OfstedGrade.GOOD, date(2023, 10, 13)),
    "Rutland": (OfstedGrade.GOOD, date(2022, 5, 20)),
    "West Northamptonshire": (OfstedGrade.REQUIRES_IMPROVEMENT, date(2025, 6, 6)),
    "Hackney": (OfstedGrade.GOOD, date(2024, 4, 19)),
    "Camden": (OfstedGrade.OUTSTANDING, date(2022, 9, 30)),
    "Croydon": (OfstedGrade.REQUIRES_IMPROVEMENT, date(2023, 1, 27)),
    "Lewisham": (OfstedGrade.GOOD, date(2025, 3, 14)),
    "Barnet": (OfstedGrade.OUTSTANDING, date(2026, 2, 20)),
    "Tower Hamlets": (OfstedGrade.INADEQUATE, date(2024, 11, 8)),
}

# A pending invitation, so the admin's list of invitations is not empty.
INVITATION = {
    "alliance": EM,
    "email": "new.officer@example.org",
    "full_name": "Jordan Ellery",
    "role": Role.PEER_REVIEWER,
    "council": "Leicestershire",
    "invited_by": "Helen Marchant",
}

SUPERUSER = ("admin@example.org", "Demo Administrator", "Platform administrator")

# The accounts the README points people to.
SIGN_IN = [
    ("Alliance admin (East Midlands)", "Helen Marchant"),
    ("East Midlands programme manager", "Priya Shah"),
    ("East Midlands coordinator", "Tom Ashworth"),
    ("East Midlands consultant", "Margaret Ellison"),
    ("Peer reviewer (Nottinghamshire officer)", "Sunita Bains"),
    ("Derby DCS (also LGA peer reviewer)", "Fiona Calder"),
    ("Derby council organiser", "Liam Hartley"),
    ("Tier 2 member (East Midlands)", "Claire Donnelly"),
    ("East Midlands data lead", "Nikhil Varma"),
    ("London programme manager", "Ben Hollis"),
    ("Hackney DCS", "Adaeze Nwosu"),
    ("Consultant in London and the LGA", "Stephen Marlow"),
    ("LGA programme manager", "Richard Okoro"),
    ("Nottingham DCS, sponsor of an LGA peer challenge", "Paul Ekwueme"),
    ("LGA peer challenge manager", "Alison Greaves"),
    ("Nottinghamshire DCS, commenting on an LGA draft report", "Elaine Wardle"),
    ("Derbyshire DCS, LGA challenge on site this week", "Jonathan Reeve"),
]


def email_for(*, name: str) -> str:
    """A demo person's address: `first.last@example.org`."""
    local = name.lower().replace("'", "").replace(" ", ".")
    return f"{local}@example.org"


def demo_people() -> dict[str, dict]:
    """Everyone to seed, by email: name, job title and roles, merged across the tables."""
    people: dict[str, dict] = {}

    def add(name, title, roles):
        person = people.setdefault(email_for(name=name), {"name": name, "title": "", "roles": []})
        person["title"] = person["title"] or title
        person["roles"].extend(roles)

    for alliance, council, dcs, organiser in COUNCIL_PEOPLE:
        add(dcs, COUNCIL_TITLES[Role.DCS], [(alliance, Role.DCS, council)])
        add(organiser, COUNCIL_TITLES[Role.LA_ORGANISER], [(alliance, Role.LA_ORGANISER, council)])
    for name, title, roles in PEOPLE:
        add(name, title, roles)
    return people


def sign_in_accounts() -> list[tuple[str, str]]:
    """(label, email) of the accounts worth signing in as, superuser last."""
    rows = [(label, email_for(name=name)) for label, name in SIGN_IN]
    return [*rows, ("Superuser (Django admin)", SUPERUSER[0])]


def _upsert(*, model, lookup: dict, values: dict):
    """Find the row by `lookup`; create it with `values`, else save only fields that differ.

    Saving nothing when nothing differs keeps re-runs from writing history rows.
    """
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    changed = [key for key, value in values.items() if getattr(obj, key) != value]
    if not created and changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save(update_fields=changed)
    return obj, created


def _seed_alliance(*, slug: str) -> Alliance:
    """Create or update one alliance and its regions (its councils follow from the regions)."""
    name, short_name, kind, region_names = ALLIANCES[slug]
    alliance, _ = _upsert(
        model=Alliance,
        lookup={"slug": slug},
        values={"name": name, "short_name": short_name, "kind": kind},
    )
    regions = {region.pk for region in Region.objects.filter(name__in=region_names)}
    if len(regions) != len(region_names):
        raise LookupError(f"Regions {region_names} not all found: run the migrations first.")
    if set(alliance.regions.values_list("pk", flat=True)) != regions:
        alliance.regions.set(regions)
    return alliance


def _seed_user(*, email: str, name: str, title: str, password: str, **flags) -> tuple[User, bool]:
    """Create or update a demo account, its password and its verified primary address."""
    values = {"full_name": name, "job_title": title, "is_demo_account": True, "is_active": True}
    user, created = _upsert(model=User, lookup={"email": email}, values={**values, **flags})
    if not _password_matches(password=password, encoded=user.password):
        # Every demo account shares the one published password, so one hash serves them all.
        user.password = _password_hash(password=password)
        user.save(update_fields=["password"])
    _upsert(
        model=EmailAddress,
        lookup={"user": user, "email": email},
        values={"verified": True, "primary": True},
    )
    return user, created


_hashes: dict[str, str] = {}
_checked: dict[tuple[str, str], bool] = {}


def _password_hash(*, password: str) -> str:
    """One hash per password per run: hashing is deliberately slow."""
    if password not in _hashes:
        _hashes[password] = make_password(password)
    return _hashes[password]


def _password_matches(*, password: str, encoded: str) -> bool:
    """Whether `encoded` is a hash of `password`, checking each distinct hash once."""
    if (password, encoded) not in _checked:
        _checked[password, encoded] = check_password(password, encoded)
    return _checked[password, encoded]


def _seed_invitation(*, alliances: dict[str, Alliance], councils: dict, users: dict) -> bool:
    """Create the demo invitation unless one is pending or the person has joined. No email."""
    alliance = alliances[INVITATION["alliance"]]
    email, role = INVITATION["email"], INVITATION["role"]
    if User.objects.filter(email__iexact=email).exists():
        return False
    with scope(alliance=alliance):
        invitations = Invitation.objects.filter(alliance=alliance, email__iexact=email)
        if invitations.pending().exists():
            return False
        # An expired, unanswered invitation still counts as open to the database constraint.
        invitations.filter(role=role, accepted_at__isnull=True, cancelled_at__isnull=True).update(
            cancelled_at=timezone.now()
        )
        _token, token_hash = Invitation.new_token()  # the link is never sent: seeding mails no one
        Invitation.objects.create(
            alliance=alliance,
            email=email,
            full_name=INVITATION["full_name"],
            role=role,
            local_authority=councils[alliance.slug][INVITATION["council"]],
            token_hash=token_hash,
            invited_by=users[email_for(name=INVITATION["invited_by"])],
            expires_at=timezone.now() + timedelta(days=settings.PEERCHALLENGE_INVITATION_DAYS),
        )
    return True


@transaction.atomic
def seed_demo(*, password: str = DEFAULT_PASSWORD) -> dict[str, int]:
    """Create or update all demo data. Returns how many rows of each kind it created."""
    created = dict.fromkeys(["people", "memberships", "ofsted grades", "invitations"], 0)
    alliances = {slug: _seed_alliance(slug=slug) for slug in ALLIANCES}
    councils = {
        slug: {council.name: council for council in councils_of_alliance(alliance=alliance)}
        for slug, alliance in alliances.items()
    }
    users: dict[str, User] = {}
    for email, person in demo_people().items():
        user, is_new = _seed_user(
            email=email, name=person["name"], title=person["title"], password=password
        )
        users[email] = user
        created["people"] += is_new
        for slug, role, council_name in person["roles"]:
            alliance = alliances[slug]
            council = councils[slug][council_name] if council_name else None
            validate_role_council(role, council)
            # Seeding runs outside any request, so it enters each membership's own alliance.
            with scope(alliance=alliance):
                _, is_new = Membership.objects.get_or_create(
                    alliance=alliance, user=user, role=role, local_authority=council
                )
            created["memberships"] += is_new
    email, name, title = SUPERUSER
    superuser, _ = _seed_user(
        email=email, name=name, title=title, password=password, is_staff=True, is_superuser=True
    )
    regional_councils = {**councils[EM], **councils[LONDON]}
    judgements = [
        (regional_councils[council_name], grade, demo_day(judged))
        for table in (OFSTED_EARLIER, OFSTED)
        for council_name, (grade, judged) in table.items()
    ]
    # Loaded once: a later seed (or a real import since) leaves the reference data alone.
    if not OfstedJudgement.objects.filter(
        local_authority__in=[council for council, _, _ in judgements]
    ).exists():
        result = ofsted_load(judgements=judgements, source=OFSTED_SOURCE, imported_by=superuser)
        created["ofsted grades"] += len(result.added)
    created["invitations"] += _seed_invitation(alliances=alliances, councils=councils, users=users)
    return created
