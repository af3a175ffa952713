from django.core.management import call_command
from django_scopes import scopes_disabled

from peerchallenge.models import Alliance, Invitation, Membership, User


def counts():
    with scopes_disabled():
        return (
            User.objects.count(),
            Membership.objects.count(),
            Invitation.objects.count(),
            Alliance.objects.count(),
        )


def test_seed_demo_is_idempotent_and_covers_every_role(db):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
    assert set(Alliance.objects.values_list("slug", flat=True)) == {
        "east-midlands",
        "london",
        "lga",
    }
    with scopes_disabled():
        em_roles = set(
            Membership.objects.filter(alliance__slug="east-midlands").values_list("role", flat=True)
        )
        em_councils = set(
            Membership.objects.filter(alliance__slug="east-midlands", role="dcs").values_list(
                "local_authority__name", flat=True
            )
        )
    assert len(em_roles) == 8
    assert len(em_councils) == 10
    assert not User.objects.exclude(email__endswith="@example.org").exists()
    with scopes_disabled():
        from lga_cspc.models import Challenge

        stages = dict(Challenge.objects.values_list("local_authority__name", "stage"))
        nottingham = Challenge.objects.get(local_authority__name="Nottingham")
        assert nottingham.proposal_accepted_at and nottingham.team.count() == 4
    assert stages == {
        "Croydon": "requested",
        "West Northamptonshire": "scoping",
        "Nottingham": "preparation",
    }
