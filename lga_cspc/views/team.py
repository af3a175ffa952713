"""The team slice: the council's sponsor and organiser, the peer team, each peer's charter,
and everyone's declared conflicts of interest."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from peerchallenge.selectors import councils_of_alliance
from peerchallenge.views.mixins import form_errors_from

from ..data.charter import (
    CHARTER_PARAGRAPHS,
    CHARTER_TITLE,
    CHARTER_VERSION,
    CONFIDENTIALITY_PARAGRAPHS,
    CONFIDENTIALITY_TITLE,
    CONFIDENTIALITY_VERSION,
)
from ..forms.team import CharterForm, ConflictForm, ContactsForm, TeamMemberForm
from ..models import Challenge, Stage, TeamMember
from ..selectors import ChallengePage
from ..services.team import (
    ORGANISER_ROLES,
    SPONSOR_ROLES,
    challenge_team,
    charter_accept,
    conflict_declare,
    conflicts_of,
    contacts_name,
    council_people,
    indicative_days_by_role,
    peers_of_alliance,
    role_phrase,
    team_gaps,
    team_member_add,
    team_member_remove,
)
from .base import ChallengeMixin, CspcMixin


def team_detail_context(*, challenge: Challenge, user, page: ChallengePage | None = None) -> dict:
    """What the challenge's page shows of the team (lga_cspc/_detail_team.html): the
    members, the viewer's own place, and which team pages the viewer may open. `page`: the
    challenge page's load, whose team it shows; else (the team page) one query."""
    members = challenge_team(challenge=challenge, members=page.team if page else None)
    mine = next((m for m in members if m.user_id == user.pk), None)
    over = challenge.stage in (Stage.CLOSED, Stage.WITHDRAWN)
    return {
        "team_members": members,
        "team_gaps": [] if over else team_gaps(roles=[m.role for m in members]),
        "team_charter_version": CHARTER_VERSION,
        "team_my_place": mine if mine and user.has_perm("lga_cspc.accept_charter", mine) else None,
        "team_can_manage": user.has_perm("lga_cspc.manage_challenge", challenge),
        "team_can_name_contacts": user.has_perm("lga_cspc.name_contacts", challenge),
    }


def to_challenge_page(view, name: str = "challenge_detail"):
    return redirect(f"lga_cspc:{name}", alliance=view.alliance.slug, challenge=view.challenge.pk)


class MemberMixin:
    """A place on this challenge's team, for views that list it after ChallengeMixin in
    their bases (so the challenge is checked first): 404 for a member id of another
    challenge, then 403 without `member_permission` on the place, if the view names one."""

    member_permission = ""

    def dispatch(self, request, *args, **kwargs):
        self.member = (
            TeamMember.objects.filter(challenge=self.challenge, pk=kwargs["member"])
            .select_related("user", "employer")
            .first()
        )
        if self.member is None:
            raise Http404("No such place on this team.")
        if self.member_permission and not request.user.has_perm(
            self.member_permission, self.member
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ContactsView(ChallengeMixin, FormView):
    challenge_permission = "lga_cspc.name_contacts"
    template_name = "lga_cspc/contacts.html"
    form_class = ContactsForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            council=self.challenge.local_authority.name,
            sponsors=council_people(challenge=self.challenge, roles=SPONSOR_ROLES),
            organisers=council_people(challenge=self.challenge, roles=ORGANISER_ROLES),
        )
        return kwargs

    def get_initial(self):
        return {"sponsor": self.challenge.sponsor, "organiser": self.challenge.organiser}

    def form_valid(self, form):
        try:
            contacts_name(challenge=self.challenge, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Sponsor and organiser saved.")
        return to_challenge_page(self, "people")


class TeamView(ChallengeMixin, FormView):
    """Everyone who sees the challenge sees its team; the planners add peers here."""

    template_name = "lga_cspc/team.html"
    form_class = TeamMemberForm

    @cached_property
    def can_manage(self) -> bool:
        return self.request.user.has_perm("lga_cspc.manage_challenge", self.challenge)

    def post(self, request, *args, **kwargs):
        if not self.can_manage:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return super().get_form(form_class) if self.can_manage else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            council=self.challenge.local_authority.name,
            peers=peers_of_alliance(alliance=self.alliance),
            councils=councils_of_alliance(alliance=self.alliance),
            days_by_role=indicative_days_by_role(challenge=self.challenge),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(team_detail_context(challenge=self.challenge, user=self.request.user))
        return context

    def form_valid(self, form):
        try:
            member = team_member_add(
                challenge=self.challenge, invited_by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{member.user} added as {role_phrase(member.role)} "
            f"({member.indicative_days} days) and invited to accept the peer charter.",
        )
        return to_challenge_page(self, "team")


class TeamMemberRemoveView(ChallengeMixin, MemberMixin, TemplateView):
    """A destructive step: the GET (and a POST without "confirm") shows what removing the
    peer means; only the confirmation's "Yes, remove" removes them."""

    challenge_permission = "lga_cspc.manage_challenge"
    template_name = "lga_cspc/team_remove.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.member
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("confirm") != "yes":
            return self.render_to_response(self.get_context_data())
        name = str(self.member.user)
        team_member_remove(member=self.member)
        messages.success(request, f"{name} removed from the team.")
        return to_challenge_page(self, "team")


class CharterView(ChallengeMixin, MemberMixin, FormView):
    """Only the peer themself accepts their charter: others who see the challenge get 403."""

    member_permission = "lga_cspc.accept_charter"
    template_name = "lga_cspc/charter.html"
    form_class = CharterForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["charter_version"] = CHARTER_VERSION
        if self.challenge.confidentiality_required:
            kwargs["confidentiality_version"] = CONFIDENTIALITY_VERSION
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.member
        charter_done = bool(member.charter_accepted_at) and (
            member.charter_version == CHARTER_VERSION
        )
        confidentiality_done = not self.challenge.confidentiality_required or (
            bool(member.confidentiality_accepted_at)
            and member.confidentiality_version == CONFIDENTIALITY_VERSION
        )
        context.update(
            member=member,
            charter_title=CHARTER_TITLE,
            charter_paragraphs=CHARTER_PARAGRAPHS,
            charter_version=CHARTER_VERSION,
            confidentiality_title=CONFIDENTIALITY_TITLE,
            confidentiality_paragraphs=CONFIDENTIALITY_PARAGRAPHS,
            confidentiality_version=CONFIDENTIALITY_VERSION,
            all_accepted=charter_done and confidentiality_done,
        )
        return context

    def form_valid(self, form):
        try:
            charter_accept(
                member=self.member,
                charter=form.cleaned_data["charter"],
                confidentiality=form.cleaned_data.get("confidentiality", False),
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Thank you: your acceptance is recorded.")
        return to_challenge_page(self, "team")


class ConflictListView(CspcMixin, FormView):
    """Each member declares their own conflicts of interest; the planners see everyone's."""

    permission_required = "lga_cspc.view_challenges"
    template_name = "lga_cspc/conflicts.html"
    form_class = ConflictForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["councils"] = councils_of_alliance(alliance=self.alliance)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        can_see_all = user.has_perm("lga_cspc.manage_challenge", self.alliance)
        context.update(
            my_conflicts=list(conflicts_of(alliance=self.alliance, user=user)),
            all_conflicts=list(conflicts_of(alliance=self.alliance)) if can_see_all else None,
        )
        return context

    def form_valid(self, form):
        try:
            conflict = conflict_declare(
                alliance=self.alliance, user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Conflict of interest with {conflict.local_authority.name} declared."
        )
        return redirect("lga_cspc:conflicts", alliance=self.alliance.slug)
