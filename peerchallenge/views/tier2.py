"""Tier 2 groups: their boards of monitored actions, notes, export; an action's page."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from reports.views import report_requested_message

from ..action_sources import offer_choices, theme_choices
from ..forms import ActionUpdateForm, Tier2GroupForm
from ..models import ActionStatus, Tier2Group, User
from ..selectors import (
    BoardFilters,
    RagCount,
    action_history,
    councils_of_alliance,
    tier2_board,
    tier2_board_rag_counts,
    tier2_board_source_groups,
    tier2_board_source_labels,
    tier2_exports_of,
    tier2_groups_visible_to,
    with_source_labels,
)
from ..services import access_log_record, action_record_progress, tier2_group_create
from ..services.exports import tier2_export_request
from .actions import ActionMixin
from .mixins import AlliancePermissionMixin, client_ip, form_errors_from

BOARD_PAGE_SIZE = 50


class Tier2ListView(AlliancePermissionMixin, TemplateView):
    permission_required = "peerchallenge.view_alliance"
    template_name = "peerchallenge/tier2_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["groups"] = list(
            tier2_groups_visible_to(user=self.request.user, alliance=self.alliance)
        )
        context["can_manage"] = self.request.user.has_perm(
            "peerchallenge.manage_members", self.alliance
        )
        return context


class Tier2GroupCreateView(AlliancePermissionMixin, FormView):
    permission_required = "peerchallenge.manage_members"
    template_name = "peerchallenge/tier2_group_form.html"
    form_class = Tier2GroupForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["people"] = User.objects.filter(memberships__alliance=self.alliance).distinct()
        return kwargs

    def form_valid(self, form):
        try:
            group = tier2_group_create(
                alliance=self.alliance,
                name=form.cleaned_data["name"],
                members=form.cleaned_data["members"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Group “{group.name}” created.")
        return redirect("tier2_board", alliance=self.alliance.slug, group=group.pk)


class GroupMixin(AlliancePermissionMixin):
    permission_required = "peerchallenge.view_alliance"

    def dispatch(self, request, *args, **kwargs):
        self.group = Tier2Group.objects.filter(
            alliance=request.alliance, pk=kwargs["group"]
        ).first()
        if self.group is None or not request.user.has_perm(
            "peerchallenge.view_tier2group", self.group
        ):
            raise Http404("No such group for you.")
        self.group.alliance = request.alliance  # as this request sees it (its actions' state)
        return super().dispatch(request, *args, **kwargs)

    def offers(self) -> list[tuple[str, str]]:
        return offer_choices()

    def themes(self) -> list[str]:
        if not hasattr(self, "_themes"):
            self._themes = theme_choices(alliance_id=self.alliance.pk)
        return self._themes

    def filters(self) -> BoardFilters:
        """The filters from the query string; a value the board does not know (an offer or
        theme nobody registered, a status with a typo) is ignored, not an error."""
        get = self.request.GET
        council = get.get("council", "")
        offer = get.get("offer", "")
        theme = get.get("theme", "")
        status = get.get("status", "")
        source = get.get("source", "")
        return BoardFilters(
            council=int(council) if council.isdigit() else None,
            source=source if re.fullmatch(r"[0-9]+:[0-9]+", source) else "",
            status=status if status in ActionStatus.values else "",
            overdue=get.get("overdue") == "1",
            offer=offer if offer in dict(self.offers()) else "",
            theme=theme if theme and theme in self.themes() else "",
        )


class Tier2BoardView(GroupMixin, TemplateView):
    template_name = "peerchallenge/tier2_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters()
        rag_counts = tier2_board_rag_counts(group=self.group, filters=filters)
        rag_total = sum((row.counts for row in rag_counts), RagCount())
        paginator = Paginator(tier2_board(group=self.group, filters=filters), BOARD_PAGE_SIZE)
        # The counts by council cover the same filtered actions: no second count.
        paginator.count = rag_total.total
        page = paginator.get_page(self.request.GET.get("page"))
        # The filter's sources are every source of the board: the page's are among them.
        labels = tier2_board_source_labels(group=self.group)
        page.object_list = with_source_labels(page.object_list, labels=labels)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            group=self.group,
            page=page,
            filters=filters,
            # The filter's options: a name and an id each (153 for the LGA), nothing more.
            councils=list(
                councils_of_alliance(alliance=self.alliance).select_related(None).only("pk", "name")
            ),
            source_groups=tier2_board_source_groups(group=self.group, labels=labels),
            offers=self.offers(),
            themes=self.themes(),
            statuses=ActionStatus.choices,
            rag_counts=rag_counts,
            rag_total=rag_total,
            query=query.urlencode(),
            today=timezone.localdate(),
            exports=list(tier2_exports_of(group=self.group, user=self.request.user)[:3]),
        )
        return context


class Tier2ExportView(GroupMixin, View):
    """POST: ask the worker for the filtered board as CSV or XLSX (services.exports); back
    to the board, which shows the export being prepared and then its download. Refused with
    a message when there is nothing to export. Every export asked for is written to the
    access log (and every download of it, by reports/). GET, the address of the export when
    it was made in the request: the board with the same filters."""

    file_format = "csv"

    def _board(self):
        query = self.request.GET.urlencode()
        board = reverse("tier2_board", args=[self.alliance.slug, self.group.pk])
        return redirect(board + (f"?{query}" if query else ""))

    def get(self, request, *args, **kwargs):
        return self._board()

    def post(self, request, *args, **kwargs):
        filters = self.filters()
        count = tier2_board(group=self.group, filters=filters).count()
        if not count:
            messages.error(request, "There are no actions to export with these filters.")
            return self._board()
        version = tier2_export_request(
            group=self.group,
            filters=filters,
            file_format=self.file_format,
            requested_by=request.user,
        )
        access_log_record(
            alliance=self.alliance,
            user=request.user,
            action="export",
            obj=self.group,
            ip_address=client_ip(request),
        )
        kind = "Excel" if self.file_format == "xlsx" else "CSV"
        noun = "action" if count == 1 else "actions"
        report_requested_message(
            request,
            version,
            f"Your {kind} export of {count:,} {noun} is being prepared. Refresh this page in "
            "a minute to download it.",
        )
        return self._board()


class ActionDetailView(ActionMixin, TemplateView):
    """The action with its updates and history; forms for those who may post, and links to
    change or remove it for those who may (see `ActionMixin` for a removed action)."""

    template_name = "peerchallenge/action_detail.html"

    def forms(self, data=None):
        user, action = self.request.user, self.action
        forms = {}
        if action.is_removed:
            return forms
        if user.has_perm("peerchallenge.update_action", action):
            forms["progress"] = ActionUpdateForm(
                data if data and "progress_submit" in data else None, kind="progress"
            )
        if user.has_perm("peerchallenge.monitor_action", action):
            forms["monitoring"] = ActionUpdateForm(
                data if data and "monitoring_submit" in data else None, kind="monitoring"
            )
        return forms

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            updates=list(self.action.updates.select_related("author")),
            history=action_history(action=self.action),
            can_change=self.can_change,
            forms=kwargs.get("forms") or self.forms(),
            # The board is linked only for those who may open it (a council's own people
            # follow their action here, not on the group's board).
            may_view_board=self.action.tier2_group_id is not None
            and self.request.user.has_perm(
                "peerchallenge.view_tier2group", self.action.tier2_group
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        forms = self.forms(request.POST)
        form = next((f for f in forms.values() if f.is_bound), None)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                action_record_progress(
                    action=self.action,
                    author=request.user,
                    note=form.cleaned_data["note"],
                    status=form.cleaned_data.get("status", ""),
                    kind=form.kind,
                )
            except ValidationError as error:
                form_errors_from(form, error)
        if form.errors:
            return self.render_to_response(self.get_context_data(forms=forms))
        messages.success(request, "Update added.")
        return redirect(request.path)
