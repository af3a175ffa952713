"""factory_boy factories. Scoped models are created outside any scope on purpose:
django-scopes allows .create(), and factories are a test entry point."""

from datetime import date

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
        """Keep the raw token on the object, as the e-mailed link would carry it."""
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
