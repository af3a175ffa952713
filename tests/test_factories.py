"""Every model of ours has a factory that builds a valid, saved instance, so that tests make
their data with factories rather than raw .create() calls."""

import importlib

import factory
import pytest
from django.apps import apps
from django_scopes import scopes_disabled

OUR_APPS = (
    "peerchallenge",
    "triads",
    "thematic",
    "ondemand",
    "lga_cspc",
    "reports",
    "benchmarking",
    "improvement",
)
FACTORY_MODULES = (
    "tests.factories",
    "tests.triads.factories",
    "tests.thematic.factories",
    "tests.ondemand.factories",
    "tests.lga_cspc.factories",
    "tests.benchmarking.factories",
    "tests.improvement.factories",
)


def our_models() -> list:
    """Our apps' models, less the history tables django-simple-history writes itself."""
    return sorted(
        (
            model
            for model in apps.get_models()
            if model._meta.app_label in OUR_APPS
            and not model._meta.object_name.startswith("Historical")
        ),
        key=lambda model: model._meta.label,
    )


def factories() -> dict:
    """Model -> its factory, from the factory modules."""
    found = {}
    for name in FACTORY_MODULES:
        for value in vars(importlib.import_module(name)).values():
            if (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and not value._meta.abstract
            ):
                found.setdefault(value._meta.get_model_class(), value)
    return found


def test_every_model_has_a_factory():
    missing = [model._meta.label for model in our_models() if model not in factories()]
    assert missing == []


@pytest.mark.parametrize("model", our_models(), ids=lambda model: model._meta.label)
def test_the_factory_builds_a_valid_saved_instance(model, db):
    made = factories().get(model)
    if made is None:
        pytest.fail(f"no factory for {model._meta.label}")
    with scopes_disabled():  # factories are a test entry point
        instance = made()
        # Nullable fields stay empty until something happens (who did it, a rating given):
        # the database allows None, and the services fill them in.
        instance.full_clean(exclude=[f.name for f in model._meta.concrete_fields if f.null])
        assert model.objects.filter(pk=instance.pk).exists()
