"""The home page's "what needs you now" panel, fed by the triad offer."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from peerchallenge.models import Action, LocalAuthority
from peerchallenge.models.actions import actions_changed
from peerchallenge.services import kloe_create, kloe_share
from tests.factories import ActionFactory, Tier2GroupFactory, council
from tests.triads.factories import CycleFactory, make_triads


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def upcoming(world, name="Spring cycle"):
    today = timezone.localdate()
    return CycleFactory(
        alliance=world.em, name=name, event_date=today + datetime.timedelta(days=40)
    )


def test_planner_is_asked_to_form_triads_then_council_to_share_kloes(client, world):
    cycle = upcoming(world)
    assert "Put the councils of Spring cycle into triads" in home(client, world.pm)
    assert "Spring cycle" not in home(client, world.tier2)
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])
    assert "into triads" not in home(client, world.pm)
    page = home(client, world.organiser)  # Derby
    assert "Share Derby&#x27;s key lines of enquiry for Spring cycle" in page
    with scope(alliance=world.em):
        kloe = kloe_create(
            challenge=cycle,
            local_authority=council("Derby"),
            created_by=world.organiser,
            title="Early help",
            question="How?",
        )
        kloe_share(kloe=kloe, shared_by=world.organiser)
    assert "Share Derby" not in home(client, world.organiser)


def test_after_the_event_templates_and_the_report_are_asked_for(client, world):
    today = timezone.localdate()
    cycle = CycleFactory(
        alliance=world.em, name="Last month", event_date=today - datetime.timedelta(days=10)
    )
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])
    assert "Complete Derby&#x27;s event-day template for Last month" in home(client, world.dcs)
    assert "Issue the summary report of Last month" in home(client, world.pm)


def test_home_query_count_stays_constant_with_cycles(client, world, django_assert_max_num_queries):
    client.force_login(world.organiser)
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    make_triads(upcoming(world, "One"), [em[:3], em[4:7], [em[3], *em[7:]]])
    with django_assert_max_num_queries(20):
        client.get(reverse("home"))
    for n in range(6):
        make_triads(upcoming(world, f"More {n}"), [em[:3], em[4:7], [em[3], *em[7:]]])
    with django_assert_max_num_queries(20):
        page = client.get(reverse("home")).content.decode()
    assert "More 5" in page


def test_consultant_is_asked_to_read_draft_kloes_until_shared(client, world):
    from peerchallenge.models import Role
    from tests.factories import MembershipFactory, UserFactory
    from triads.services.cycles import triad_assign_consultant

    cycle = upcoming(world)
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    triad1, _, _ = make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])
    ruth = UserFactory(full_name="Ruth Consultant")
    MembershipFactory(alliance=world.em, user=ruth, role=Role.CONSULTANT)
    with scope(alliance=world.em):
        triad_assign_consultant(triad=triad1, consultant=ruth)
        drafts = [
            kloe_create(
                challenge=cycle,
                local_authority=council(name),
                created_by=world.organiser,
                title=f"Early help {name}",
                question="How?",
            )
            for name in ("Derby", "Derby", em[4].name)  # em[4] is in triad 2: not Ruth's
        ]
    page = home(client, ruth)
    assert "Read Derby&#x27;s 2 draft key lines of enquiry for Spring cycle and comment" in page
    assert em[4].name not in page
    assert "draft key lines" not in home(client, world.pm)
    with scope(alliance=world.em):
        for kloe in drafts[:2]:
            kloe_share(kloe=kloe, shared_by=world.organiser)
    assert "Derby" not in home(client, ruth)


def test_tier2_member_is_asked_to_follow_up_overdue_actions(client, world):
    from peerchallenge.models import Action
    from peerchallenge.services import action_create

    past = CycleFactory(alliance=world.em, name="Past", event_date=datetime.date(2026, 3, 12))
    today = timezone.localdate()
    with scope(alliance=world.em):
        group = Tier2GroupFactory(alliance=world.em, name="Workforce watch")
        group.members.add(world.tier2)
        for due, status in [(-30, "red"), (-3, "amber"), (-40, "complete"), (20, "green")]:
            action = action_create(
                source=past,
                local_authority=council("Derby"),
                what="Audit",
                owner="Head of service",
                due_date=today + datetime.timedelta(days=due),
                tier2_group=group,
                created_by=world.organiser,
            )
            Action.objects.filter(pk=action.pk).update(status=status)
    page = home(client, world.tier2)
    assert "2 actions are overdue in Workforce watch: follow them up" in page
    assert f"/tier2/{group.pk}/?overdue=1" in page
    assert "overdue in" not in home(client, world.pm)


def test_the_tier2_overdue_count_costs_the_same_whatever_the_actions(client, world):
    """The count is one aggregate from the actions' side, whatever the number of actions
    (and a removed one is not counted), read on the first home page after a change and
    cached until the next (peerchallenge.selectors.cached_for_actions)."""
    past = CycleFactory(alliance=world.em, name="Past", event_date=datetime.date(2026, 3, 12))
    today = timezone.localdate()
    with scope(alliance=world.em):
        group = Tier2GroupFactory(alliance=world.em, name="Workforce watch")
        group.members.add(world.tier2)

    def add(count, days):
        for _ in range(count):
            ActionFactory(
                source=past,
                local_authority=council("Derby"),
                tier2_group=group,
                due_date=today + datetime.timedelta(days=days),
            )

    def queries():
        """(queries of the first home page after a change, of the next, the page, the
        count's SQL)."""
        client.force_login(world.tier2)
        with CaptureQueriesContext(connection) as first:
            client.get(reverse("home"))
        with CaptureQueriesContext(connection) as again:
            page = client.get(reverse("home")).content.decode()
        counts = [q["sql"] for q in first if "COUNT(*)" in q["sql"]]
        assert not [q for q in again if "COUNT(*)" in q["sql"]]  # cached
        return len(first), len(again), page, counts

    add(2, -5)
    few, few_again, page, _ = queries()
    assert "2 actions are overdue in Workforce watch" in page
    add(40, -9)
    add(10, 30)
    with scope(alliance=world.em):
        Action.objects.filter(pk=Action.objects.filter(tier2_group=group).first().pk).update(
            removed_at=timezone.now()
        )
        actions_changed(alliance_id=world.em.pk)  # a bulk write says so
    many, many_again, page, [count] = queries()
    assert "41 actions are overdue in Workforce watch" in page
    assert (many, many_again) == (few, few_again)
    assert count.split("FROM")[1].strip().startswith('"peerchallenge_action"')


def test_a_consultant_who_also_organises_a_council_is_asked_each_part_once(world):
    """One query of members serves both: the consultant reads the drafts of the triad they
    advise only, and shares their own council's key lines only; the person's list is the
    alliance's list filtered to them."""
    from peerchallenge.models import Role
    from tests.factories import MembershipFactory, UserFactory
    from triads.obligations import obligations
    from triads.services.cycles import triad_assign_consultant

    cycle = upcoming(world)
    em = list(LocalAuthority.objects.filter(region__name="East Midlands").order_by("name"))
    triad1, _, _ = make_triads(cycle, [em[:3], em[4:7], [em[3], *em[7:]]])
    ruth = UserFactory(full_name="Ruth Consultant")
    MembershipFactory(alliance=world.em, user=ruth, role=Role.CONSULTANT)
    MembershipFactory(alliance=world.em, user=ruth, role=Role.LA_ORGANISER, local_authority=em[4])
    with scope(alliance=world.em):
        triad_assign_consultant(triad=triad1, consultant=ruth)
        for la in (em[0], em[4]):
            kloe_create(
                challenge=cycle,
                local_authority=la,
                created_by=world.organiser,
                title="Early help",
                question="How?",
            )
        everyone = obligations(alliances=[world.em.pk], today=timezone.localdate())
        theirs = obligations(alliances=[world.em.pk], today=timezone.localdate(), user=ruth)

    def what(found):
        return sorted((o.kind, o.council.name) for o in found if o.council is not None)

    assert what(theirs) == sorted(
        [("triads.read_drafts", em[0].name), ("triads.share_kloes", em[4].name)]
    )
    assert what(theirs) == what(o for o in everyone if o.is_for(ruth))
