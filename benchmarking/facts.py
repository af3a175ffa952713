"""The common framework's facts about a council (peerchallenge.council_facts): each flag on
its latest figures in the alliance's data pack, worded as the pack words it, with the
council's answer if it has given one. From the alliance's cached flags (their titles and
answers with them): no query once they are worked out."""

from django.urls import reverse

from peerchallenge.council_facts import CouncilFact

from .selectors_flags import alliance_flags, flag_states


def flag_facts(*, alliance, council, user) -> list[CouncilFact]:
    if not user.has_perm("benchmarking.view_data_pack", alliance):
        return []
    [stated] = flag_states([alliance.pk])
    found = alliance_flags(stated).get(council.pk)
    if not found:
        return []
    pack = reverse(
        "benchmarking:data_pack", kwargs={"alliance": alliance.slug, "gss": council.gss_code}
    )
    facts = []
    for item in found[2]:
        said = " ".join(f"{text[:1].upper()}{text[1:]}." for text in item.texts)
        if item.answer is not None:
            said += f" {item.answer[0]}: {item.answer[1]}"
        else:
            said += " Not answered yet."
        facts.append(
            CouncilFact(
                source="Data pack", title=f"{item.title}, {item.period}", text=said, url=pack
            )
        )
    return facts
