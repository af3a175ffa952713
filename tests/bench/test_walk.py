"""bench.run --walk (bench/walk.py): every GET page of the project is walked or skipped with
a reason, a page answering 500 fails the walk, and so does a query count that grows."""

import io

import pytest
from django.core.management import call_command
from django.urls import get_resolver

from bench.walk import MIXED_SLUG, table, walk, walk_pages
from peerchallenge.models import Action
from tests.test_tenancy_matrix import ALL


@pytest.fixture
def seeded(db):
    call_command(
        "seed_scale", users=150, actions=153, cspc_sessions=8, force=True, stdout=io.StringIO()
    )


def the_walk(**options):
    return walk(regional_slug="bench-london", samples=0, floor="/", **options)


def view_of(name: str):
    """The URL pattern named `name` (namespaced names included)."""
    for route_name, pattern in _patterns(get_resolver().url_patterns):
        if route_name == name:
            return pattern
    raise LookupError(name)


def _patterns(patterns, namespace=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name, pattern


def test_every_get_page_is_walked_or_skipped_with_a_reason(seeded):
    result = the_walk()
    walked = {row.page.name for row in result.rows}
    printed = table(result)
    assert walked | set(result.skipped) == {name for _route, name in ALL}
    assert walked & set(result.skipped) == set()
    assert all(result.skipped.values())
    for name in walked | set(result.skipped):
        assert f"| {name} |" in printed
    print(printed)
    assert result.failures == []


def test_a_page_that_answers_500_fails_the_walk(seeded, monkeypatch):
    def broken(request, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(view_of("tier2_list"), "callback", broken)
    result = the_walk(only={"tier2_list", "council_list"})
    assert [(row.page.name, row.page.who, row.status) for row in result.rows] == [
        ("council_list", "pm", 200),
        ("council_list", "tier2", 200),
        ("tier2_list", "pm", 500),
        ("tier2_list", "tier2", 500),
    ]
    assert result.failures == [
        "tier2_list (pm): status 500 (RuntimeError: broken on purpose)",
        "tier2_list (tier2): status 500 (RuntimeError: broken on purpose)",
    ]


def test_a_page_whose_queries_grow_with_the_data_fails_the_walk(seeded, monkeypatch):
    pattern = view_of("tier2_list")
    view = pattern.callback

    def one_query_an_action(request, **kwargs):
        for action in Action.objects.filter(alliance=request.alliance)[:50]:
            action.tier2_group.name  # noqa: B018 - an N+1 on purpose
        return view(request, **kwargs)

    monkeypatch.setattr(pattern, "callback", one_query_an_action)
    result = the_walk(only={"tier2_list"})
    [pm, tier2] = result.rows
    assert pm.status == tier2.status == 200
    assert pm.large > pm.small
    assert result.failures == [
        f"tier2_list (pm): {pm.small} queries with little data, {pm.large} with more",
        f"tier2_list (tier2): {tier2.small} queries with little data, {tier2.large} with more",
    ]


def test_the_walk_takes_its_large_instance_from_the_mixed_board():
    pages, skipped = walk_pages()
    assert MIXED_SLUG == "bench-england"
    assert "improvement_plan_pdf_prepare" in skipped
    assert {page.name for page in pages} >= {"tier2_board", "lga_cspc:timetable"}
