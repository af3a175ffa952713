"""The triad offer's items for the home page's "what needs you now" panel."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from peerchallenge.models import KeyLineOfEnquiry
from peerchallenge.needs import Need
from peerchallenge.permissions import alliance_ids_of, council_ids_in, roles_in

from .models import Cycle, EventTemplate, Triad, TriadMember
from .permissions import PLANNERS


def triad_needs(user) -> list[Need]:
    """Planners: cycles to put into triads, summary reports to issue. Council people: key
    lines of enquiry to share before the event, event-day templates to complete after it.
    A fixed number of queries, whatever the number of cycles or councils."""
    from reports.models import ReportVersion

    today = timezone.localdate()
    alliances = alliance_ids_of(user)
    planner_of = [a for a in alliances if roles_in(user, a) & PLANNERS]
    my_councils = set().union(*(council_ids_in(user, a) for a in alliances)) if alliances else set()
    needs: list[Need] = []
    recent = Cycle.objects.filter(
        alliance__in=alliances, report_due__gte=today - datetime.timedelta(days=60)
    ).select_related("alliance")
    cycles = list(recent)
    cycle_type = ContentType.objects.get_for_model(Cycle)
    with_triads = set(
        TriadMember.objects.filter(cycle__in=cycles).values_list("cycle_id", flat=True)
    )
    issued = set(
        ReportVersion.objects.filter(
            report="triads.summary", subject_type=cycle_type, subject_id__in=[c.pk for c in cycles]
        ).values_list("subject_id", flat=True)
    )
    members = list(
        TriadMember.objects.filter(cycle__in=cycles, council__in=my_councils).select_related(
            "council", "triad"
        )
    )
    shared = set(
        KeyLineOfEnquiry.objects.filter(
            challenge_type=cycle_type,
            challenge_id__in=[c.pk for c in cycles],
            local_authority__in=my_councils,
            shared_at__isnull=False,
        ).values_list("challenge_id", "local_authority_id")
    )
    completed = set(
        EventTemplate.objects.filter(
            cycle__in=cycles, local_authority__in=my_councils, completed_at__isnull=False
        ).values_list("cycle_id", "local_authority_id")
    )
    by_id = {cycle.pk: cycle for cycle in cycles}
    consulted = {
        triad.pk: triad
        for triad in Triad.objects.filter(
            cycle__in=[c for c in cycles if c.event_date >= today], consultant=user
        )
    }
    drafts: dict[tuple[int, int], list] = {}
    if consulted:
        for kloe in (
            KeyLineOfEnquiry.objects.filter(
                challenge_type=cycle_type,
                challenge_id__in={t.cycle_id for t in consulted.values()},
                shared_at__isnull=True,
            )
            .filter(
                local_authority__in=TriadMember.objects.filter(triad__in=list(consulted)).values(
                    "council"
                )
            )
            .select_related("local_authority")
            .order_by("local_authority__name")
        ):
            drafts.setdefault((kloe.challenge_id, kloe.local_authority_id), []).append(kloe)
        triad_of = {
            (cycle_id, council_id): triad_id
            for cycle_id, council_id, triad_id in TriadMember.objects.filter(
                triad__in=list(consulted)
            ).values_list("cycle_id", "council_id", "triad_id")
        }

    def url(name, cycle, **kwargs):
        return reverse(
            f"triads:{name}", kwargs={"alliance": cycle.alliance.slug, "cycle": cycle.pk, **kwargs}
        )

    for cycle in cycles:
        if cycle.alliance_id not in planner_of:
            continue
        if cycle.pk not in with_triads and cycle.event_date >= today:
            needs.append(
                Need(
                    f"Put the councils of {cycle.name} into triads",
                    url("triad_arrange", cycle),
                    cycle.alliance.short_name,
                    cycle.kloes_due,
                    cycle.kloes_due < today,
                )
            )
        if cycle.event_date < today and cycle.pk not in issued:
            needs.append(
                Need(
                    f"Issue the summary report of {cycle.name}",
                    url("summary", cycle),
                    cycle.alliance.short_name,
                    cycle.report_due,
                    cycle.report_due < today,
                )
            )
    for member in members:
        cycle = by_id[member.cycle_id]
        key = (cycle.pk, member.council_id)
        if cycle.event_date >= today and key not in shared:
            needs.append(
                Need(
                    f"Share {member.council.name}'s key lines of enquiry for {cycle.name}",
                    url("triad_detail", cycle, triad=member.triad_id),
                    cycle.alliance.short_name,
                    cycle.kloes_due,
                    cycle.kloes_due < today,
                )
            )
        if today > cycle.event_date and key not in completed:
            needs.append(
                Need(
                    f"Complete {member.council.name}'s event-day template for {cycle.name}",
                    url("event_template", cycle, gss=member.council.gss_code),
                    cycle.alliance.short_name,
                    cycle.templates_due,
                    cycle.templates_due < today,
                )
            )
    for (cycle_id, council_id), kloes in drafts.items():
        cycle = by_id[cycle_id]
        triad_id = triad_of.get((cycle_id, council_id))
        if triad_id is None:  # a draft of a council in another consultant's triad
            continue
        count = len(kloes)
        noun = "draft key line" if count == 1 else "draft key lines"
        needs.append(
            Need(
                f"Read {kloes[0].local_authority.name}'s {count} {noun} of enquiry for "
                f"{cycle.name} and comment",
                url("triad_detail", cycle, triad=triad_id),
                cycle.alliance.short_name,
                cycle.kloes_due,
                cycle.kloes_due < today,
            )
        )
    return needs
