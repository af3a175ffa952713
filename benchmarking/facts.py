"""The common framework's facts about a council (peerchallenge.council_facts): each flag on
its latest figures in the alliance's data pack, worded as the pack words it, with the
council's answer if it has given one. From the alliance's cached flags; two queries (the
indicators' titles, the answers) when the council has flags, none when it has none."""

from django.urls import reverse

from peerchallenge.council_facts import CouncilFact

from .models import Indicator
from .selectors_flags import alliance_flags, answers_of, flag_states


def flag_facts(*, alliance, council, user) -> list[CouncilFact]:
    if not user.has_perm("benchmarking.view_data_pack", alliance):
        return []
    [stated] = flag_states([alliance.pk])
    found = alliance_flags(stated).get(council.pk)
    if not found:
        return []
    flagged = found[2]
    titles = dict(
        Indicator.objects.filter(pk__in=[item.indicator_id for item in flagged]).values_list(
            "pk", "title"
        )
    )
    answers = answers_of(alliance=alliance, council=council)
    pack = reverse(
        "benchmarking:data_pack", kwargs={"alliance": alliance.slug, "gss": council.gss_code}
    )
    facts = []
    for item in flagged:
        answer = answers.get((item.indicator_id, item.period))
        said = " ".join(f"{text[:1].upper()}{text[1:]}." for text in item.texts)
        if answer is not None:
            said += f" {answer.get_answer_display()}: {answer.text}"
        else:
            said += " Not answered yet."
        facts.append(
            CouncilFact(
                source="Data pack",
                title=f"{titles.get(item.indicator_id, '')}, {item.period}",
                text=said,
                url=pack,
            )
        )
    return facts
