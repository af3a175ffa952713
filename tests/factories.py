"""factory_boy factories. Scoped models are created outside any scope on purpose:
django-scopes allows .create(), and factories are a test entry point."""

from datetime import date, time, timedelta

import factory
import pyotp
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from django.utils.text import slugify

from peerchallenge.models import (
    Alliance,
    Invitation,
    LocalAuthority,
    Membership,
    Region,
    Role,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        """Everyone has TOTP set up unless the test says mfa=False."""
        if create and extracted is not False:
            self.totp_secret = pyotp.random_base32()
            TOTP.activate(self, self.totp_secret)


def region(name: str) -> Region:
    return Region.objects.get(name=name)


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Alliance {n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:40])
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Alliance.Kind.REGIONAL

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    alliance = factory.SubFactory(AllianceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PROGRAMME_MANAGER
    local_authority = None


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    alliance = factory.SubFactory(AllianceFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    full_name = "Invited Person"
    role = Role.PEER_REVIEWER
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=14))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Keep the raw token on the object, as the emailed link would carry it."""
        token, kwargs["token_hash"] = Invitation.new_token()
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation


def council(name: str) -> LocalAuthority:
    return LocalAuthority.objects.get(name=name)


def ofsted_judged(la: LocalAuthority, grade: str, judged: date, source: str = "Test outcomes"):
    """Record a national Ofsted judgement of the council, as an import by staff would."""
    from peerchallenge.services import ofsted_load

    return ofsted_load(judgements=[(la, grade, judged)], source=source, imported_by=None)


# One factory for each of the core's models (tests/test_factories.py holds every model of
# ours to it). Objects about "a challenge" hang off a triad cycle, the simplest challenge.
# Sub-factories named by dotted path: tests.triads.factories imports this module.

CYCLE = "tests.triads.factories.CycleFactory"


def _content_type(model_label: str):
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(apps.get_model(model_label))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    gss_code = factory.Sequence(lambda n: f"E99{n:06}")
    name = factory.Sequence(lambda n: f"Testshire {n}")
    official_name = factory.LazyAttribute(lambda o: f"{o.name} County Council")
    la_type = "County"
    region = factory.SubFactory(RegionFactory)


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.AccessLog"

    alliance = factory.SubFactory(AllianceFactory)
    user = factory.SubFactory(UserFactory)
    action = "download"
    object_type = "peerchallenge.LocalAuthority"
    object_id = factory.LazyFunction(lambda: str(council("Derby").pk))
    object_repr = "Derby"


class Tier2GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.Tier2Group"

    alliance = factory.SubFactory(AllianceFactory)
    name = factory.Sequence(lambda n: f"Tier 2 group {n}")


class _AboutACycle(factory.django.DjangoModelFactory):
    """Filed under a cycle of the alliance, about Derby."""

    class Meta:
        abstract = True
        exclude = ("cycle",)

    cycle = factory.SubFactory(CYCLE)
    alliance = factory.SelfAttribute("cycle.alliance")
    local_authority = factory.LazyFunction(lambda: council("Derby"))


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.Action"

    source = factory.SubFactory(CYCLE)  # what the action came from: a cycle unless named
    alliance = factory.SelfAttribute("source.alliance")
    local_authority = factory.LazyFunction(lambda: council("Derby"))
    what = "Audit the front door"
    owner = "Head of service"
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=90))


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.ActionUpdate"

    action = factory.SubFactory(ActionFactory)
    alliance = factory.SelfAttribute("action.alliance")
    note = "Audit started"


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.CalendarFeed"

    user = factory.SubFactory(UserFactory)
    token_hash = factory.Sequence(lambda n: f"{n:064x}")


class DocumentFactory(_AboutACycle):
    class Meta:
        model = "peerchallenge.Document"

    challenge_type = factory.LazyFunction(lambda: _content_type("triads.Cycle"))
    challenge_id = factory.SelfAttribute("cycle.pk")
    title = factory.Sequence(lambda n: f"Self-evaluation {n}")


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.DocumentVersion"

    document = factory.SubFactory(DocumentFactory)
    alliance = factory.SelfAttribute("document.alliance")
    number = 1
    file = factory.django.FileField(filename="self-evaluation.pdf", data=b"%PDF-1.7\n%%EOF\n")
    original_name = "self-evaluation.pdf"
    kind = "pdf"
    content_type = "application/pdf"
    size = 15
    sha256 = "0" * 64


class FormSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.FormSubmission"

    token = factory.Sequence(lambda n: f"token-{n:020}")
    path = "/a/east-midlands/members/invite/"


class KeyLineOfEnquiryFactory(_AboutACycle):
    class Meta:
        model = "peerchallenge.KeyLineOfEnquiry"

    challenge_type = factory.LazyFunction(lambda: _content_type("triads.Cycle"))
    challenge_id = factory.SelfAttribute("cycle.pk")
    title = "Early help"
    question = "Do families get help early enough?"


class KloeCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.KloeComment"

    kloe = factory.SubFactory(KeyLineOfEnquiryFactory)
    alliance = factory.SelfAttribute("kloe.alliance")
    text = "Could we look at re-referrals too?"


class OfstedImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.OfstedImport"

    source = "Ofsted: children's social care data in England"


class OfstedJudgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.OfstedJudgement"

    local_authority = factory.LazyFunction(lambda: council("Derby"))
    grade = "good"
    # Some twenty months before the suite's today: a judgement already published.
    judgement_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(weeks=87))
    source = factory.SubFactory(OfstedImportFactory)


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.OutboundEmail"

    dedupe_key = factory.Sequence(lambda n: f"test:{n}")
    to = factory.LazyFunction(lambda: ["dee.director@example.org"])
    subject = "A test message"
    body_text = "Hello."
    message_id = factory.Sequence(lambda n: f"<test.{n}@example.org>")


class ImprovementPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.ImprovementPlan"

    alliance = factory.SubFactory(AllianceFactory)
    local_authority = factory.LazyFunction(lambda: council("Derby"))


class ReminderSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.ReminderSetting"

    alliance = factory.SubFactory(AllianceFactory)
    kind = "triads.kloes_due"
    days = 7


class ReminderScanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.ReminderScan"

    alliance = factory.SubFactory(AllianceFactory)
    scanned_on = factory.LazyFunction(timezone.localdate)


class ReminderLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.ReminderLog"
        exclude = ("cycle",)

    cycle = factory.SubFactory(CYCLE)
    alliance = factory.SelfAttribute("cycle.alliance")
    kind = "triads.kloes_due"
    subject_type = factory.LazyFunction(lambda: _content_type("triads.Cycle"))
    subject_id = factory.SelfAttribute("cycle.pk")
    recipient = factory.SubFactory(UserFactory)
    due_date = factory.SelfAttribute("cycle.kloes_due")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "peerchallenge.Session"

    # Any challenge (a review, an LGA challenge...): a triad cycle unless the test names one.
    # Only a cycle has an event date, so a test naming another challenge gives starts_at.
    challenge = factory.SubFactory(CYCLE)
    alliance = factory.SelfAttribute("challenge.alliance")
    kind = "interview"
    title = "Interview with the DCS"
    starts_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(timezone.datetime.combine(o.challenge.event_date, time(10)))
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timezone.timedelta(hours=1))


class ReportVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.ReportVersion"

    subject = factory.SubFactory(CYCLE)  # what the report is about: a cycle unless named
    alliance = factory.SelfAttribute("subject.alliance")
    report = "triads.summary"
    title = "Summary report"
    number = factory.Sequence(lambda n: n + 1)
