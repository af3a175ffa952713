"""An LGA peer challenge keeps the subsidy it was booked with: a later Ofsted import does not
move it; only the LGA's programme manager changes it, with a reason shown on its page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from lga_cspc.models import Challenge, SubsidyChange
from lga_cspc.services.booking import challenge_book
from tests import clock
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, council, ofsted_judged
from tests.factories import region as region_named
from tests.forms import date_parts


def url(lga, name, challenge):
    return reverse(
        f"lga_cspc:{name}", kwargs={"alliance": lga.alliance.slug, "challenge": challenge.pk}
    )


@pytest.fixture
def booked(lga):
    """Leicester, judged good (no subsidy), booked by the LGA's programme manager."""
    ofsted_judged(council("Leicester"), "good", clock.days(-400))
    with scope(alliance=lga.alliance):
        return challenge_book(
            alliance=lga.alliance,
            offer=lga.offer,
            local_authority=council("Leicester"),
            onsite_start=clock.days(120),
            days=4,
            requested_by=lga.pm,
        )


def fresh(challenge) -> Challenge:
    with scopes_disabled():
        return Challenge.objects.get(pk=challenge.pk)


def test_a_later_ofsted_import_does_not_change_a_booked_subsidy(client, lga, booked):
    assert (booked.subsidy_percent, booked.subsidy_reason) == (
        0,
        "No subsidy: judged good, the council funds all costs",
    )
    staff = UserFactory(email="sam.staff@example.org", is_staff=True)
    client.force_login(staff)
    content = b"gss_code,grade,date\nE06000016,inadequate," + clock.days(-1).isoformat().encode()
    response = client.post(
        reverse("ofsted_import"),
        {"source": "Ofsted outcomes", "file": SimpleUploadedFile("o.csv", content + b"\n")},
    )
    assert response.status_code == 302
    assert fresh(booked).subsidy_percent == 0
    # A new booking would see the new judgement.
    client.force_login(lga.pm)
    page = client.post(
        reverse("lga_cspc:challenge_book", kwargs={"alliance": lga.alliance.slug}),
        {
            "offer": lga.offer.pk,
            "council": council("Leicester").pk,
            **date_parts("onsite_start", clock.days(150)),
            "days": 4,
        },
        follow=True,
    ).content.decode()
    assert "LGA subsidy: 100%" in page


def test_an_alliance_cannot_move_the_lgas_subsidy(client, lga, booked):
    """The East Midlands programme manager has nothing to edit: no grade, no challenge."""
    em = AllianceFactory(slug="east-midlands", regions=[region_named("East Midlands")])
    em_pm = UserFactory(email="pat.em@example.org")
    MembershipFactory(alliance=em, user=em_pm, role="programme_manager")
    client.force_login(em_pm)
    assert client.get(f"/a/{em.slug}/councils/E06000016/ofsted/").status_code == 404
    assert client.get(url(lga, "subsidy_change", booked)).status_code == 404
    assert fresh(booked).subsidy_percent == 0


def test_the_lga_pm_changes_the_subsidy_with_a_reason(client, lga, booked):
    client.force_login(lga.pm)
    response = client.post(
        url(lga, "subsidy_change", booked),
        {"percent": "50", "reason": "Ofsted re-inspected before the booking was confirmed."},
    )
    assert response.status_code == 302
    challenge = fresh(booked)
    assert challenge.subsidy_percent == 50
    with scopes_disabled():
        change = SubsidyChange.objects.get()
    assert (change.old_percent, change.new_percent, change.changed_by) == (0, 50, lga.pm)
    page = client.get(url(lga, "challenge_detail", booked)).content.decode()
    assert "0% to 50%" in page
    assert "Ofsted re-inspected before the booking was confirmed." in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"percent": "50", "reason": ""},
            "reason",
            "Enter why the subsidy changes, for example",
        ),
        ({"percent": "150", "reason": "x"}, "percent", "Enter a subsidy between 0 and 100%."),
        ({"percent": "", "reason": "x"}, "percent", "Enter the new subsidy, from 0 to 100."),
        ({"percent": "0", "reason": "x"}, "percent", "The subsidy is already 0%"),
    ],
)
def test_bad_change_is_refused_with_the_error_summary(client, lga, booked, data, field, message):
    client.force_login(lga.pm)
    response = client.post(url(lga, "subsidy_change", booked), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    page = response.content.decode()
    assert "govuk-error-summary" in page and f'href="#id_{field}"' in page
    assert fresh(booked).subsidy_percent == 0
    with scopes_disabled():
        assert not SubsidyChange.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "derby_dcs", "leicester_dcs", "pcm"])
def test_only_the_lgas_programme_manager_changes_it(client, lga, booked, who):
    client.force_login(getattr(lga, who))
    response = client.post(url(lga, "subsidy_change", booked), {"percent": "100", "reason": "x"})
    assert response.status_code in {403, 404}
    assert fresh(booked).subsidy_percent == 0
