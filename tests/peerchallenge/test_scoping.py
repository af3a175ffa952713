import pytest
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from peerchallenge.models import AccessLog, Invitation, Membership


@pytest.mark.parametrize("model", [Membership, Invitation, AccessLog])
def test_tenant_query_outside_a_scope_raises(model, world):
    with pytest.raises(ScopeError):
        list(model.objects.all())


def test_scope_returns_only_that_alliances_rows(world):
    with scope(alliance=world.em):
        emails = set(Membership.objects.values_list("user__email", flat=True))
    assert world.outsider.email not in emails
    assert world.admin.email in emails
    with scope(alliance=world.london):
        assert Invitation.objects.count() == 1


def test_empty_scope_returns_nothing(world):
    with scope(alliance=[]):
        assert Membership.objects.count() == 0
