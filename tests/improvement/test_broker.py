"""The broker's rule (improvement/broker.py), with hypothesis: never the same council, never
over capacity, never a different theme, and ranked by evidence then capacity left."""

from hypothesis import given
from hypothesis import strategies as st

from improvement.broker import EVIDENCE_RANK, NeedFacts, OfferFacts, offers_for

THEMES = ["Placement sufficiency", "Early help", "Care leavers"]

offers_strategy = st.lists(
    st.builds(
        OfferFacts,
        id=st.integers(1, 10_000),
        council_id=st.integers(1, 6),
        theme=st.sampled_from([*THEMES, "placement SUFFICIENCY"]),
        evidence=st.sampled_from(list(EVIDENCE_RANK)),
        capacity=st.integers(1, 4),
        used=st.integers(0, 6),
    ),
    max_size=30,
    unique_by=lambda offer: offer.id,
)
needs_strategy = st.builds(
    NeedFacts,
    id=st.integers(1, 100),
    council_id=st.integers(1, 6),
    theme=st.sampled_from([*THEMES, ""]),
)


@given(need=needs_strategy, offers=offers_strategy, matched=st.frozensets(st.integers(1, 10_000)))
def test_the_suggestions_fit_and_are_ranked(need, offers, matched):
    found = offers_for(need, offers, matched=matched)
    for offer in found:
        assert offer.council_id != need.council_id  # never the same council
        assert offer.used < offer.capacity  # never over capacity
        assert offer.theme.casefold() == need.theme.casefold() != ""
        assert offer.id not in matched
    keys = [(-EVIDENCE_RANK[o.evidence], -(o.capacity - o.used), o.id) for o in found]
    assert keys == sorted(keys)
    # And nothing that fits is left out.
    fitting = {
        o.id
        for o in offers
        if o.council_id != need.council_id
        and o.used < o.capacity
        and need.theme
        and o.theme.casefold() == need.theme.casefold()
        and o.id not in matched
    }
    assert {o.id for o in found} == fitting


def test_evidence_ranks_first_then_capacity_left():
    need = NeedFacts(id=1, council_id=1, theme="Early help")
    offers = [
        OfferFacts(1, 2, "Early help", "practice", 5, 0),
        OfferFacts(2, 3, "Early help", "data", 1, 0),
        OfferFacts(3, 4, "Early help", "ofsted", 3, 0),
        OfferFacts(4, 5, "Early help", "ofsted", 3, 1),
        OfferFacts(5, 1, "Early help", "data", 9, 0),  # the same council
        OfferFacts(6, 6, "Early help", "data", 2, 2),  # full
    ]
    assert [o.id for o in offers_for(need, offers)] == [2, 3, 4, 1]
