"""The access log in the app: an alliance's admins read their own alliance's lines, newest
first, filtered by person and dates, a page at a time; nobody else does."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from peerchallenge.models import AccessLog, Role, Tier2Group
from tests.clock import NOW, at
from tests.factories import (
    AccessLogFactory,
    MembershipFactory,
    Tier2GroupFactory,
    UserFactory,
    council,
)
from tests.forms import date_parts


def log(alliance, user, *, when, kind="plan", obj=None, action=AccessLog.Action.DOWNLOAD):
    """One line of the log as the serving views write it (services.access_log_record)."""
    if kind == "plan":
        obj = obj or council("Derby")
        object_type, object_repr = "peerchallenge.LocalAuthority", obj.name
    elif kind == "group":
        object_type, object_repr = "peerchallenge.Tier2Group", obj.name
    elif kind == "report":
        object_type, object_repr = "reports.ReportVersion", "Triad summary (version 2)"
        obj = None
    else:
        object_type, object_repr = "peerchallenge.DocumentVersion", "Self-evaluation (version 1)"
    # Test data across alliances: no request, so no scope.
    with scopes_disabled():
        return AccessLogFactory(
            alliance=alliance,
            user=user,
            action=action,
            object_type=object_type,
            object_id=str(obj.pk if obj else 7),
            object_repr=object_repr,
            ip_address="192.0.2.1",
            at=when,
        )


def url(world, **query) -> str:
    base = reverse("access_log", kwargs={"alliance": world.em.slug})
    if query:
        from urllib.parse import urlencode

        base += "?" + urlencode(query)
    return base


def cells(html: str) -> list[list[str]]:
    """The log table's rows as text cells."""
    body = html.split('id="access-log"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r"<tr class=\"govuk-table__row\">(.*?)</tr>", body.split("<tbody", 1)[1], re.S
    )
    return [
        [
            unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def test_access_log_shows_own_alliances_lines_newest_first(client, world):
    with scopes_disabled():
        group = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
        london_group = Tier2GroupFactory(alliance=world.london, name="London secrets")
    log(world.em, world.pm, when=at(-2, 9, 5))
    log(
        world.em,
        world.organiser,
        when=at(-1, 14, 30),
        kind="group",
        obj=group,
        action=AccessLog.Action.EXPORT,
    )
    log(world.london, world.outsider, when=at(0, 8), kind="group", obj=london_group)
    client.force_login(world.admin)
    response = client.get(url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert cells(html) == [
        [
            at(-1, 14, 30).strftime("%-d %B %Y, 14:30"),
            "Oscar Organiser oscar@example.org",
            "Exported",
            "The actions of the Tier 2 group Safeguarding",
        ],
        [
            at(-2, 9, 5).strftime("%-d %B %Y, 09:05"),
            "Pat Manager pat@example.org",
            "Downloaded",
            "Derby's improvement plan (PDF)",
        ],
    ]
    assert "2 lines, newest first" in html
    plan = reverse("improvement_plan", kwargs={"alliance": "east-midlands", "gss": "E06000015"})
    board = reverse("tier2_board", kwargs={"alliance": "east-midlands", "group": group.pk})
    assert f'href="{plan}"' in html
    assert f'href="{board}"' in html
    assert "London secrets" not in html
    assert "olu@example.org" not in html


def test_access_log_gives_the_time_in_uk_time(client, world):
    # A summer morning: 09:00 UTC is 10:00 in London.
    summer = datetime.datetime(NOW.year - 1, 7, 1, 9, 0, tzinfo=datetime.UTC)
    log(world.em, world.pm, when=summer)
    client.force_login(world.admin)
    assert cells(client.get(url(world)).content.decode())[0][0] == f"1 July {NOW.year - 1}, 10:00"


def test_access_log_links_only_what_the_viewer_may_open(client, world):
    with scopes_disabled():
        gone = Tier2GroupFactory(alliance=world.em, name="Disbanded group")
    log(world.em, world.pm, when=at(-1), kind="group", obj=gone)
    with scopes_disabled():
        Tier2Group.objects.filter(pk=gone.pk).delete()
    log(world.em, world.pm, when=at(-2), kind="report")
    log(world.em, world.pm, when=at(-3), kind="document")
    client.force_login(world.admin)
    html = client.get(url(world)).content.decode()
    assert [row[3] for row in cells(html)] == [
        "The actions of the Tier 2 group Disbanded group",
        "Report: Triad summary (version 2)",
        "Document: Self-evaluation (version 1)",
    ]
    table = html.split('id="access-log"', 1)[1].split("</table>", 1)[0]
    assert "<a " not in table


def test_access_log_filters_by_person_and_local_dates(client, world):
    log(world.em, world.pm, when=at(-10))
    log(world.em, world.organiser, when=at(-3))
    log(world.em, world.pm, when=at(-1))
    # 23:30 UTC in summer is 00:30 the next day in London: that next day is the one to filter.
    late = datetime.datetime(NOW.year - 1, 7, 1, 23, 30, tzinfo=datetime.UTC)
    log(world.em, world.organiser, when=late)
    client.force_login(world.admin)

    def whens(**query):
        html = client.get(url(world, **query)).content.decode()
        return [row[0] for row in cells(html)] if 'id="access-log"' in html else []

    def day(n):
        return at(n).date()

    def dates(**named):
        return {k: v for name, value in named.items() for k, v in date_parts(name, value).items()}

    assert len(whens()) == 4
    assert whens(**dates(date_from=day(-5))) == [
        at(-1).strftime("%-d %B %Y, 10:00"),
        at(-3).strftime("%-d %B %Y, 10:00"),
    ]
    assert whens(**dates(date_to=day(-3), date_from=day(-3))) == [
        at(-3).strftime("%-d %B %Y, 10:00")
    ]
    # A link built with the whole date, as before the date input, still filters.
    assert whens(date_to=day(-3).isoformat(), date_from=day(-3).isoformat()) == [
        at(-3).strftime("%-d %B %Y, 10:00")
    ]
    assert whens(person=world.pm.pk) == [
        at(-1).strftime("%-d %B %Y, 10:00"),
        at(-10).strftime("%-d %B %Y, 10:00"),
    ]
    assert whens(person=world.pm.pk, **dates(date_to=day(-5))) == [
        at(-10).strftime("%-d %B %Y, 10:00")
    ]
    summer_day = datetime.date(NOW.year - 1, 7, 2)
    assert whens(**dates(date_from=summer_day, date_to=summer_day)) == [
        f"2 July {NOW.year - 1}, 00:30"
    ]
    query = dates(date_from=day(-100))
    html = client.get(url(world, person=world.organiser.pk, **query)).content.decode()
    assert "1 line matching your filters, newest first" in html


def test_access_log_person_filter_offers_only_people_in_the_log(client, world):
    log(world.em, world.pm, when=at(-1))
    log(world.london, world.outsider, when=at(-1))
    client.force_login(world.admin)
    html = client.get(url(world)).content.decode()
    select = html.split('name="person"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == [
        "Everyone",
        "Pat Manager (pat@example.org)",
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            {"date_from_day": "yesterday", "date_from_month": "11", "date_from_year": "2026"},
            "date_from",
            "The date from must be a real date",
        ),
        ({"date_to": "2026-02-31"}, "date_to", "The date to must be a real date"),
        (
            {**date_parts("date_from", at(-1).date()), **date_parts("date_to", at(-5).date())},
            "date_to",
            "The date to must be the same as or after the date from.",
        ),
        ({"person": "999999"}, "person", "Choose a person from the list."),
    ],
)
def test_access_log_refuses_bad_filters_with_an_error_summary(client, world, query, field, message):
    log(world.em, world.pm, when=at(-3))
    client.force_login(world.admin)
    response = client.get(url(world, **query))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Access log" in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert f'<li><a href="#id_{field}">{message}</a></li>' in html
    assert (
        f'<p id="id_{field}-error" class="govuk-error-message">'
        f'<span class="govuk-visually-hidden">Error:</span> {message}</p>'
    ) in html
    assert 'id="access-log"' not in html
    assert "Correct the filters to see the log." in html


def test_access_log_person_of_another_alliance_is_not_a_choice(client, world):
    log(world.london, world.outsider, when=at(-1))
    log(world.em, world.pm, when=at(-1))
    client.force_login(world.admin)
    html = client.get(url(world, person=world.outsider.pk)).content.decode()
    assert "Choose a person from the list." in html
    assert "olu@example.org" not in html


def test_access_log_pages_by_fifty_keeping_the_filters(client, world):
    for n in range(120):
        log(world.em, world.pm, when=at(-1) - datetime.timedelta(minutes=n))
    log(world.em, world.organiser, when=at(-1))
    client.force_login(world.admin)
    first = client.get(url(world, person=world.pm.pk)).content.decode()
    assert "120 lines matching your filters, showing 1 to 50, newest first" in first
    assert len(cells(first)) == 50
    assert f'href="?person={world.pm.pk}&amp;page=2" rel="next"' in first
    last = client.get(url(world, person=world.pm.pk, page=3)).content.decode()
    assert "showing 101 to 120" in last
    assert len(cells(last)) == 20
    assert cells(last)[-1][0] == (at(-1) - datetime.timedelta(minutes=119)).strftime(
        "%-d %B %Y, %H:%M"
    )


def test_access_log_query_count_does_not_grow_with_the_log(
    client, world, django_assert_max_num_queries
):
    with scopes_disabled():
        group = Tier2GroupFactory(alliance=world.em, name="Safeguarding")
    log(world.em, world.pm, when=at(-1))
    client.force_login(world.admin)
    with django_assert_max_num_queries(14):
        assert client.get(url(world)).status_code == 200
    for n in range(80):
        person = UserFactory(email=f"reader{n}@example.org", mfa=False)
        MembershipFactory(alliance=world.em, user=person, role=Role.PEER_REVIEWER)
        log(world.em, person, when=at(-2, 9, n % 60), kind="plan", obj=council("Leicester"))
        log(world.em, person, when=at(-3, 9, n % 60), kind="group", obj=group)
        log(world.em, person, when=at(-4, 9, n % 60), kind="report")
    with django_assert_max_num_queries(14):
        html = client.get(url(world, **date_parts("date_from", at(-30).date()))).content.decode()
    assert "241 lines matching your filters, showing 1 to 50, newest first" in html
    with django_assert_max_num_queries(14):
        html = client.get(url(world, page=4)).content.decode()
    assert "showing 151 to 200" in html


def test_viewing_the_access_log_writes_nothing(client, world):
    log(world.em, world.pm, when=at(-1))
    client.force_login(world.admin)
    client.get(url(world))
    with scopes_disabled():
        assert AccessLog.objects.count() == 1


def test_only_the_alliance_admin_reads_the_access_log(client, world):
    client.force_login(world.admin)
    assert client.get(url(world)).status_code == 200
    for person in (world.pm, world.coordinator, world.organiser, world.dcs, world.tier2):
        client.force_login(person)
        assert client.get(url(world)).status_code == 403
    client.force_login(world.outsider)  # London's admin
    assert client.get(url(world)).status_code == 404


def test_the_alliance_page_links_to_the_access_log_for_admins_only(client, world):
    alliance_page = reverse("alliance_detail", kwargs={"alliance": world.em.slug})
    link = f'href="{url(world)}"'
    client.force_login(world.admin)
    assert link in client.get(alliance_page).content.decode()
    for person in (world.pm, world.coordinator, world.organiser):
        client.force_login(person)
        page = client.get(alliance_page)
        assert page.status_code == 200
        assert link not in page.content.decode()
    # London's admin reads London's log, not East Midlands'.
    client.force_login(world.outsider)
    london_page = client.get(reverse("alliance_detail", kwargs={"alliance": "london"}))
    assert 'href="/a/london/access-log/"' in london_page.content.decode()
    assert link not in london_page.content.decode()


def test_a_former_member_still_appears_by_name(client, world):
    leaver = UserFactory(email="lee@example.org", full_name="Lee Leaver", mfa=False)
    log(world.em, leaver, when=at(-1))
    client.force_login(world.admin)
    html = client.get(url(world)).content.decode()
    assert cells(html)[0][1] == "Lee Leaver lee@example.org"
