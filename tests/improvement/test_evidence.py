"""Evidence attached to a self-evaluation through the core's documents: type sniffed, size
capped, a new version under the same title; downloaded (and logged) only by those who read
the self-evaluation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from improvement.models import step_defaults
from improvement.selectors import cycle_year_next, template_of
from improvement.services.cycle import cycle_open
from improvement.services.scrutiny import scrutiny_add
from improvement.services.self_evaluation import section_save, self_evaluation_submit
from peerchallenge.models import AccessLog, DocumentVersion, Role
from peerchallenge.uploads import NOT_ALLOWED
from tests.factories import MembershipFactory, UserFactory, council

PDF = b"%PDF-1.7\nAudit findings\n%%EOF\n"


@pytest.fixture
def cycle(world):
    with scope(alliance=world.em):
        year = cycle_year_next(world.em)
        return cycle_open(
            alliance=world.em, year=year, deadlines=step_defaults(year), opened_by=world.pm
        )


def url(world, cycle, name="self_evaluation", **kwargs):
    return reverse(
        f"improvement:{name}",
        kwargs={
            "alliance": world.em.slug,
            "improvement_cycle": cycle.pk,
            "gss": council("Derby").gss_code,
            **kwargs,
        },
    )


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def attach(client, world, cycle, name="audit.pdf", data=PDF, title="Audit findings"):
    return client.post(
        url(world, cycle, "evidence_attach"),
        {"title": title, "file": SimpleUploadedFile(name, data)},
    )


def test_the_organiser_attaches_evidence_and_the_readers_download_it(client, world, cycle):
    client.force_login(world.organiser)
    response = attach(client, world, cycle, name="audit.pdf", data=b"MZ\x90\x00not a pdf")
    assert response.status_code == 200
    assert NOT_ALLOWED in text_of(response)
    with scopes_disabled():
        assert not DocumentVersion.objects.exists()  # a refused file stores nothing
    assert attach(client, world, cycle).status_code == 302
    assert attach(client, world, cycle).status_code == 302  # the same title: version 2
    page = text_of(client.get(url(world, cycle)))
    assert "Audit findings</a> (version 2" in page
    with scopes_disabled():
        version = DocumentVersion.objects.get(number=2)
    download = url(world, cycle, "evidence_download", document=version.document_id, version=2)
    client.force_login(world.pm)
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    with scopes_disabled():
        assert AccessLog.objects.filter(user=world.pm).exists()
    for who in ("tier2", "admin"):
        client.force_login(getattr(world, who))
        assert client.get(download).status_code == 404


def test_the_scrutinising_council_reads_the_evidence_once_submitted(client, world, cycle):
    client.force_login(world.organiser)
    attach(client, world, cycle)
    with scopes_disabled():
        version = DocumentVersion.objects.get()
    download = url(world, cycle, "evidence_download", document=version.document_id, version=1)
    leicester = UserFactory()
    MembershipFactory(
        alliance=world.em,
        user=leicester,
        role=Role.LA_ORGANISER,
        local_authority=council("Leicester"),
    )
    with scope(alliance=world.em):
        scrutiny_add(
            cycle=cycle,
            council=council("Derby"),
            scrutineer=council("Leicester"),
            assigned_by=world.pm,
        )
    client.force_login(leicester)
    assert client.get(download).status_code == 404
    with scope(alliance=world.em):
        for section in template_of(cycle):
            if section.kind != "data":
                evaluation = section_save(
                    cycle=cycle,
                    council=council("Derby"),
                    section=section,
                    text="x",
                    saved_by=world.dcs,
                ).self_evaluation
        self_evaluation_submit(evaluation=evaluation, submitted_by=world.dcs)
    assert client.get(download).status_code == 200
    # Submitted: nothing more is attached.
    client.force_login(world.organiser)
    assert attach(client, world, cycle, title="Late").status_code == 302
    with scopes_disabled():
        assert DocumentVersion.objects.count() == 1
