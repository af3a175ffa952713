"""Two planners in different alliances put the same peer in overlapping sessions at the same
moment: each alliance's timetable lock is its own, so only a lock on the person serialises
them. Real threads, each on its own database connection, with committed data."""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scope, scopes_disabled

from peerchallenge.models import Session, SessionKind
from peerchallenge.services import session_save
from peerchallenge.services import timetable as timetable_service
from tests import clock
from tests.factories import UserFactory
from tests.triads.factories import CycleFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timed_waits]


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """An earlier transactional test's flush removes the reference data; load it again with
    the data migration's own loader (as the browser tests' `site` does)."""
    from importlib import import_module

    from django.apps import apps

    import_module("peerchallenge.migrations.0002_reference_data").load(apps, None)


def test_the_same_peer_booked_in_two_alliances_at_once_only_one_succeeds(world, monkeypatch):
    with scopes_disabled():
        derby = CycleFactory(alliance=world.em, name="Derby cycle")
        camden = CycleFactory(alliance=world.london, name="Camden cycle")
    pete = UserFactory(full_name="Pete Peer")

    start = threading.Barrier(2, timeout=10)
    # Both saves wait here once they have looked for clashes and found none. Without a lock
    # on the person both get here and both commit; with it, the second is still waiting for
    # the person's row, so the first gives up waiting and commits alone.
    checked = threading.Barrier(2, timeout=2)
    clashes = timetable_service._peer_clashes

    def clashes_then_wait(**kwargs):
        found = clashes(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait()
        return found

    monkeypatch.setattr(timetable_service, "_peer_clashes", clashes_then_wait)
    results: dict[str, object] = {}

    def book(name, challenge, hour):
        try:
            with scope(alliance=challenge.alliance_id):
                start.wait()
                session_save(
                    challenge=challenge,
                    kind=SessionKind.INTERVIEW,
                    title=f"{name} interview",
                    starts_at=clock.at(10, hour),
                    ends_at=clock.at(10, hour + 1),
                    peers=[pete],
                    user=None,
                )
            results[name] = "booked"
        except ValidationError as error:
            results[name] = error.message_dict
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=("Derby", derby, 10)),
        threading.Thread(target=book, args=("Camden", camden, 10)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(map(str, results.values())) == [
        "booked",
        str({"peers": ["Pete Peer is already booked at that time."]}),
    ]
    with scopes_disabled():
        assert Session.objects.filter(peers=pete).count() == 1
