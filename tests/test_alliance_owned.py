"""The tenancy rule is said once: every model of ours that carries an alliance extends
`AllianceOwned`, and every manager it has is scoped on the `alliance` dimension, so a query
outside an alliance scope raises ScopeError instead of returning every alliance's rows.
Models are discovered from the app registry, not listed: a new model joins automatically."""

import pytest
from django.apps import apps
from django_scopes import ScopeError, scope
from simple_history.models import HistoricalChanges

from peerchallenge.models import AllianceOwned

OUR_APPS = {
    "peerchallenge",
    "triads",
    "thematic",
    "ondemand",
    "lga_cspc",
    "reports",
    "benchmarking",
    "improvement",
}

# Models that carry an alliance but are deliberately not tenant-owned. Each says why.
NOT_ALLIANCE_OWNED = {
    # The outbox is the platform's: the delivery task, the sweeper and the admin read it
    # across alliances, and a message need not come from an alliance at all (the nullable
    # `alliance` only says whose work caused it). An alliance sees its mail only through its
    # own scoped records, e.g. ReminderLog.email.
    "peerchallenge.OutboundEmail",
    # Published statistics are shared reference data: a row with no alliance is DfE's, read
    # by every alliance (as councils are); a row an alliance loaded carries its alliance and
    # is read only through `benchmarking.selectors.loaded_by(alliance)`, which every read of
    # figures and neighbours goes through (tests/benchmarking/test_imports.py: another
    # alliance never sees them).
    "benchmarking.Figure",
    "benchmarking.Neighbour",
}


def _carries_alliance(model) -> bool:
    return any(field.name == "alliance" for field in model._meta.fields)


def models_with_alliance():
    # django-simple-history's generated tables (`HistoricalX`, and those of an audited
    # many-to-many) copy the alliance column as a plain, unconstrained copy; they are not
    # declared by us and are read only through an audited row (`action.history`, the admin).
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not issubclass(model, HistoricalChanges)
        and _carries_alliance(model)
    ]


TENANT_MODELS = [m for m in models_with_alliance() if m._meta.label not in NOT_ALLIANCE_OWNED]


def test_discovery_finds_the_tenant_models_of_every_app():
    # A positive control: an empty or partial discovery would let every check below pass.
    labels = {model._meta.label for model in TENANT_MODELS}
    assert {
        "peerchallenge.Membership",
        "peerchallenge.Invitation",
        "peerchallenge.AccessLog",
        "peerchallenge.Action",
        "triads.Cycle",
        "thematic.ThematicEvent",
        "ondemand.Review",
        "lga_cspc.Challenge",
        "reports.ReportVersion",
        "benchmarking.Framework",
        "improvement.SelfEvaluation",
    } <= labels
    assert {model._meta.app_label for model in TENANT_MODELS} == OUR_APPS


def test_allow_list_names_only_models_that_still_need_it():
    # An entry for a model that is gone, or that now extends AllianceOwned, is stale.
    labels = {model._meta.label: model for model in models_with_alliance()}
    for label in NOT_ALLIANCE_OWNED:
        assert label in labels
        assert not issubclass(labels[label], AllianceOwned)


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda model: model._meta.label)
def test_tenant_model_extends_alliance_owned(model):
    assert issubclass(model, AllianceOwned)


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda model: model._meta.label)
def test_tenant_model_managers_fail_closed_outside_a_scope(model):
    assert model._meta.managers  # the default manager is the first of them
    for manager in model._meta.managers:
        with pytest.raises(ScopeError, match="dimension\\(s\\) alliance needs to be active"):
            manager.all()


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda model: model._meta.label)
def test_tenant_model_managers_filter_by_the_scoped_alliance(model):
    column = f'"{model._meta.db_table}"."{model._meta.get_field("alliance").column}" = 4242'
    with scope(alliance=4242):
        for manager in model._meta.managers:
            assert column in str(manager.all().query)
