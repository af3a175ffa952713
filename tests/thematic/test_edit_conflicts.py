"""Lost updates on the thematic summary: the coordinator and a member of the Tier 2 group
write it together; the second to save sees both versions and loses nothing."""

from django.urls import reverse
from django_scopes import scope

from tests.edit_conflict import two_people_edit
from tests.thematic.factories import event, group
from thematic.models import EmergingSummary


def test_two_people_editing_the_summary_the_second_sees_both_and_loses_nothing(client, world):
    held = event(world.em, days_from_today=-5, tier2_group=group(world.em, members=[world.tier2]))
    url = reverse("thematic:summary", kwargs={"alliance": world.em.slug, "event": held.pk})

    def saved():
        with scope(alliance=world.em):
            summary = EmergingSummary.objects.get(event=held)
            return f"{summary.emerging_themes}\n{summary.proposed_next_steps}"

    two_people_edit(
        client,
        url,
        first=world.coordinator,
        second=world.tier2,
        mine={"emerging_themes": "Coordinator: exploitation is rising.", "save": "1"},
        theirs={"emerging_themes": "Tier 2: missing episodes.", "save": "1"},
        my_text="Coordinator: exploitation is rising.",
        their_text="Tier 2: missing episodes.",
        saved=saved,
    )
