"""The one registry type every declaration goes through (peerchallenge/offers/registry.py)."""

import pytest

from peerchallenge.offers.registry import Registry
from peerchallenge.sections import SECTIONS, Section


def test_registering_the_same_thing_twice_is_a_no_op_and_order_is_kept():
    registry = Registry("things", key=lambda thing: thing[0])
    registry.register(("b", 1))
    registry.register(("a", 2))
    registry.register(("b", 1))
    assert list(registry) == [("b", 1), ("a", 2)]
    assert len(registry) == 2 and "a" in registry and registry["a"] == ("a", 2)


def test_another_thing_under_a_taken_key_is_refused():
    registry = Registry("things", key=lambda thing: thing[0])
    registry.register(("b", 1))
    with pytest.raises(ValueError, match=r"things: 'b' is already registered\."):
        registry.register(("b", 2))


def test_every_offer_declared_its_sections():
    assert {section.key for section in SECTIONS} >= {
        "triads",
        "thematic",
        "ondemand",
        "lga_cspc",
        "lga_cspc_shared",
    }
    with pytest.raises(ValueError, match="already registered"):
        SECTIONS.register(Section(key="triads", label="Other", url_name="x", permission="y"))
