"""The written feedback: the report page (sections, steps, sign-offs, comments, versions, the
log), its steps, the council's factual-accuracy comments and their resolution, sharing
with the region — and, from the council's REGIONAL alliance, the reports shared with it.

Every rule is in services.report; these views check who may ask (403), run the service and
show its refusal on the page."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView, View
from django_scopes import scopes_disabled

from peerchallenge.concurrency import EditConflict
from peerchallenge.dates import day_text
from peerchallenge.models import Alliance
from peerchallenge.views.mixins import AlliancePermissionMixin, ConfirmMixin, form_errors_from
from reports.models import ReportVersion
from reports.registry import get_report
from reports.views import report_file_response, report_requested_message

from .. import permissions as rules
from ..forms.report import (
    AccuracyCommentForm,
    CommentResolveForm,
    IssueDraftForm,
    ReportSectionsForm,
    ReportShareForm,
)
from ..models import (
    AccuracyComment,
    Challenge,
    QASignOff,
    ReportState,
    ShareAudience,
    SiteNote,
)
from ..permissions import sees_the_challenge
from ..selectors import (
    ChallengePage,
    regional_alliances_of,
    share_audience_label,
    shared_report_readers,
    shared_reports_for,
)
from ..services.onsite import presentation_outline
from ..services.report import (
    ACCURACY_MAX_DAYS,
    ACCURACY_MIN_DAYS,
    COUNCIL_SEES_TEXT,
    FEEDBACK_REPORT,
    FINAL_TITLE,
    ORDER,
    SECTION_LABELS,
    SECTIONS,
    SLOT_NAMES,
    final_version,
    is_final_version,
    may_close_accuracy,
    paragraphs,
    report_agree,
    report_agree_warnings,
    report_close_accuracy,
    report_comment,
    report_issue_draft,
    report_issue_final,
    report_of,
    report_resolve_comment,
    report_save,
    report_share,
    report_sign_off,
    report_steps_for,
    report_submit_qa,
    report_unshare,
    report_versions,
    window_closed,
)
from .base import ChallengeMixin, page_of

# The report section each kind of note marked for the presentation is material for.
MATERIAL_FOR = {
    SiteNote.Kind.STRENGTH: "strengths",
    SiteNote.Kind.AREA: "areas_for_development",
    SiteNote.Kind.GOOD_PRACTICE: "good_practice",
    SiteNote.Kind.CASE_STUDY: "case_studies",
}


def _report_url(challenge) -> str:
    return reverse(
        "lga_cspc:report", kwargs={"alliance": challenge.alliance.slug, "challenge": challenge.pk}
    )


# What each step needs (checked → 403), does, and says when done.
STEPS = {
    "agree": (
        lambda user, challenge: user.has_perm("lga_cspc.agree_report", challenge),
        report_agree,
        "You agreed the report. The peer challenge manager now submits it for quality assurance.",
    ),
    "submit_qa": (
        lambda user, challenge: user.has_perm("lga_cspc.draft_report", challenge),
        report_submit_qa,
        "The report was submitted for quality assurance: the programme manager, the principal "
        "adviser and the children's improvement adviser each sign it off.",
    ),
    "sign_off": (
        lambda user, challenge: user.has_perm("lga_cspc.sign_off_report", challenge),
        report_sign_off,
        None,  # names the slot
    ),
    "issue_draft": (
        lambda user, challenge: user.has_perm("lga_cspc.draft_report", challenge),
        report_issue_draft,
        None,  # names the closing date
    ),
    "close_accuracy": (
        may_close_accuracy,
        report_close_accuracy,
        "The factual-accuracy window is closed. The programme manager may now issue the final "
        "version.",
    ),
    "issue_final": (
        lambda user, challenge: user.has_perm("lga_cspc.issue_final", challenge),
        report_issue_final,
        "The final version is being produced. The council's DCS will be emailed when it is ready.",
    ),
}


def _steps_panel(report, signed: dict, unresolved: int, comment_count: int) -> list[dict]:
    """The task list: each step done, next, or not yet."""
    state = report.state if report is not None else None
    index = ORDER.index(state) if state else -1
    closes = report.accuracy_closes_on if report is not None else None
    rows = [
        ("Draft the report", "Peer challenge manager", index >= 1),
        ("Agree the report", "Team leader", index >= 1),
        ("Submit for quality assurance", "Peer challenge manager", index >= 2),
        (
            f"Quality-assurance sign-offs ({len(signed)} of 3)",
            "Programme manager, principal adviser and children's improvement adviser",
            len(signed) == 3,
        ),
        (
            "Issue the draft to the council",
            "Peer challenge manager; opens the factual-accuracy window "
            f"({ACCURACY_MIN_DAYS} to {ACCURACY_MAX_DAYS} working days)",
            index >= 3,
        ),
        (
            "Resolve the council's comments and close the factual-accuracy window",
            (
                f"Open until {day_text(closes)}; {comment_count} comment"
                f"{'s' if comment_count != 1 else ''}, {unresolved} unresolved"
                if closes
                else "Peer challenge manager"
            ),
            index >= 4,
        ),
        ("Issue the final version", "Programme manager", index >= 5),
    ]
    panel, next_found = [], False
    for number, (name, hint, done) in enumerate(rows, 1):
        if done:
            status = "done"
        elif not next_found:
            status, next_found = "next", True
        else:
            status = "later"
        panel.append({"id": f"step-{number}", "name": name, "hint": hint, "status": status})
    return panel


def _sections_view(report, comments, comment_error=None, resolve_error=None) -> list[dict]:
    """Each section's paragraphs, each with its comments (and a form's error and kept text);
    comments on a paragraph no longer in the text are kept apart ("orphans")."""
    by_place = defaultdict(list)
    for comment in comments:
        if resolve_error and resolve_error["comment"] == comment.pk:
            comment.form_error = resolve_error["message"]
            comment.form_value = resolve_error["value"]
        by_place[(comment.section, comment.paragraph)].append(comment)
    result = []
    for key, label in SECTIONS:
        items = []
        for number, text in enumerate(paragraphs(getattr(report, key) if report else ""), 1):
            item = {
                "number": number,
                "text": text,
                "comments": by_place.pop((key, number), []),
                "anchor": f"comment-{key}-{number}",
            }
            if (
                comment_error
                and comment_error["section"] == key
                and comment_error["paragraph"] == number
            ):
                item["error"] = comment_error["message"]
                item["value"] = comment_error["value"]
            items.append(item)
        orphans = [
            comment
            for (section, _), found in sorted(by_place.items())
            if section == key
            for comment in found
        ]
        result.append({"key": key, "label": label, "paragraphs": items, "orphans": orphans})
    return result


def _material(challenge) -> list[dict]:
    """The notes the team marked on site for the presentation (as its outline has them),
    under the report section each is material for."""
    return [
        {
            "key": MATERIAL_FOR[section.kind],
            "label": SECTION_LABELS[MATERIAL_FOR[section.kind]],
            "kind": section.heading,
            "notes": section.notes,
            "fallback": section.fallback,
        }
        for section in presentation_outline(challenge=challenge)
    ]


def report_page_context(
    *,
    challenge,
    user,
    sections_form=None,
    comment_error=None,
    resolve_error=None,
    issue_form=None,
    page_errors=(),
) -> dict:
    """Everything the report page shows this person, in a constant number of queries."""
    report = report_of(challenge=challenge)
    state = report.state if report is not None else None
    sign_offs = list(report.sign_offs.select_related("user")) if report else []
    signed = {sign_off.by: sign_off for sign_off in sign_offs}
    events = list(report.events.select_related("user")) if report else []
    comments = (
        list(report.comments.select_related("author", "resolved_by").order_by("created_at", "pk"))
        if report
        else []
    )
    unresolved = sum(comment.resolved_at is None for comment in comments)

    may = report_steps_for(user=user, challenge=challenge, report=report, sign_offs=sign_offs)
    if may.edit and sections_form is None:
        sections_form = ReportSectionsForm(initial=ReportSectionsForm.initial_from(report))
    if sections_form is not None:
        sections_form.helper.form_action = _report_url(challenge)
    window_open = state == ReportState.ACCURACY and not window_closed(report)
    issuing = may.may("issue_draft")
    if issuing and issue_form is None:
        issue_form = IssueDraftForm()
    issue_days = None
    if issuing:
        bound = issue_form.is_bound
        issue_days = {
            "value": issue_form.data.get("working_days", "")
            if bound
            else issue_form.fields["working_days"].initial,
            "error": (issue_form.errors.get("working_days") or [""])[0] if bound else "",
            "hint": issue_form.fields["working_days"].help_text,
            "label": issue_form.fields["working_days"].label,
        }
    # The notes marked on site, beside the text while it is drafted (internal people only).
    material = (
        _material(challenge)
        if may.internal and (state in (None, ReportState.DRAFT) or may.edit)
        else []
    )

    # Whoever sees the challenge may download every version (FeedbackReportPdf).
    entitled = may.internal or may.council
    versions = list(report_versions(challenge=challenge)) if entitled else []
    for version in versions:
        version.is_final = is_final_version(version)

    sharing = sharing_context(challenge=challenge, report=report)

    errors = list(page_errors)
    if comment_error:
        anchor = (
            f"#text-comment-{comment_error['section']}-{comment_error['paragraph']}"
            if comment_error.get("placed")
            else "#report-text"
        )
        errors.append((comment_error["message"], anchor))
    if resolve_error:
        errors.append((resolve_error["message"], f"#resolution-{resolve_error['comment']}"))
    if issue_days and issue_days["error"]:
        errors.append((issue_days["error"], "#working-days"))

    return {
        "report": report,
        "report_state": state,
        "states": ReportState,
        "steps": _steps_panel(report, signed, unresolved, len(comments)),
        "sign_off_rows": [(by, label, signed.get(by)) for by, label in QASignOff.By.choices],
        "events": events,
        "comments_count": len(comments),
        "unresolved": unresolved,
        "may": may,
        "sections": _sections_view(report, comments, comment_error, resolve_error)
        if may.reads_text
        else [],
        "sections_form": sections_form if may.edit or sections_form is not None else None,
        "show_paragraphs": may.reads_text
        and (not may.edit or state in (ReportState.ACCURACY, ReportState.RESOLVED)),
        "text_heading": (
            "The final report"
            if state == ReportState.FINAL
            else "The draft issued to the council"
            if state in COUNCIL_SEES_TEXT
            else "The report"
        ),
        "window_open": window_open,
        "agree_warnings": report_agree_warnings(report) if may.may("agree") else [],
        "issue_days": issue_days,
        "material": material,
        "versions": versions if may.every_version else [v for v in versions if v.is_rendered],
        "sharing": sharing,
        "page_errors": errors,
    }


def sharing_context(*, challenge, report) -> dict | None:
    """What the report page says of sharing with the region (None before the final): with
    whom it is shared and how many people that is now (what the sponsor may do:
    `report_steps_for(...).share`)."""
    if report is None or report.state != ReportState.FINAL:
        return None
    shared = report.shared_with_region_at is not None
    alliances = regional_alliances_of(challenge=challenge)
    return {
        "shared_at": report.shared_with_region_at,
        "shared_by": report.shared_by if shared else None,
        "audience": share_audience_label(audience=report.share_audience, alliances=alliances)
        if shared
        else "",
        "readers": len(shared_report_readers(challenge=challenge, audience=report.share_audience))
        if shared
        else 0,
        "alliances": [alliance.name for alliance in alliances],
    }


def report_detail_context(*, challenge, user, page: ChallengePage | None = None) -> dict:
    """What the challenge page's written-feedback section (`_detail_report.html`) shows."""
    page = page_of(challenge, page)
    challenge = page.challenge
    report = page.report
    final = None
    if report is not None and report.state == ReportState.FINAL:
        version = final_version(
            challenge=challenge, versions=page.versions.get(FEEDBACK_REPORT, [])
        )
        if (
            version is not None
            and sees_the_challenge(user, challenge)
            and get_report(FEEDBACK_REPORT).may_download_version(user, challenge, version)
        ):
            final = version
    return {
        "report_state": report.get_state_display() if report is not None else "",
        "report_closes_on": (
            report.accuracy_closes_on
            if report is not None and report.state == ReportState.ACCURACY
            else None
        ),
        "report_final_version": final,
        "report_shared_at": report.shared_with_region_at if report is not None else None,
        "report_shared_with": share_audience_label(
            audience=report.share_audience, alliances=regional_alliances_of(challenge=challenge)
        )
        if report is not None and report.shared_with_region_at
        else "",
    }


# The report page and its actions -------------------------------------------------------


class FeedbackReportView(ChallengeMixin, TemplateView):
    """The report for everyone who sees the challenge: the internal text for the LGA, the
    advisers and the team; the council sees it from the draft issued to it."""

    template_name = "lga_cspc/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.challenge.alliance = self.request.alliance  # the same row: its slug, no query
        context.update(
            report_page_context(
                challenge=self.challenge,
                user=self.request.user,
                sections_form=kwargs.get("sections_form"),
                comment_error=kwargs.get("comment_error"),
                resolve_error=kwargs.get("resolve_error"),
                issue_form=kwargs.get("issue_form"),
                page_errors=kwargs.get("page_errors", ()),
            )
        )
        return context

    def render_page(self, **extra):
        return self.render_to_response(self.get_context_data(**extra))

    def done(self, message: str, anchor: str = "", version: ReportVersion | None = None):
        if version is not None:  # a report asked for: said honestly if it waits for the queue
            report_requested_message(self.request, version, message)
        else:
            messages.success(self.request, message)
        return redirect(_report_url(self.challenge) + anchor)

    def post(self, request, *args, **kwargs):
        """Save the sections."""
        if not request.user.has_perm("lga_cspc.draft_report", self.challenge):
            raise PermissionDenied
        form = ReportSectionsForm(request.POST)
        if form.is_valid():
            try:
                report_save(challenge=self.challenge, user=request.user, **form.cleaned_data)
            except EditConflict as conflict:
                form.conflict_show(conflict)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
        if form.errors:
            return self.render_page(sections_form=form)
        return self.done("The report was saved.")


class ReportStepView(FeedbackReportView):
    """POST `step`: agree, submit_qa, sign_off, issue_draft, close_accuracy, issue_final."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        step = request.POST.get("step", "")
        if step not in STEPS:
            return self.render_page(page_errors=[("Choose a step to take.", "#report-steps")])
        allowed, service, message = STEPS[step]
        if not allowed(request.user, self.challenge):
            raise PermissionDenied
        options, form = {}, None
        if step == "issue_draft":
            form = IssueDraftForm(request.POST)
            if not form.is_valid():
                return self.render_page(issue_form=form)
            options["working_days"] = form.cleaned_data["working_days"]
        try:
            result = service(challenge=self.challenge, user=request.user, **options)
        except ValidationError as error:
            if "working_days" in getattr(error, "error_dict", {}):
                form.add_error("working_days", error.error_dict["working_days"])
                return self.render_page(issue_form=form)
            return self.render_page(
                issue_form=form,
                page_errors=[(message, "#report-steps") for message in error.messages],
            )
        warnings = report_agree_warnings(result) if step == "agree" else []
        if step == "sign_off":
            message = f"You signed off the report as {SLOT_NAMES[result.by]}."
        elif step == "issue_draft":
            report = report_of(challenge=self.challenge)
            message = (
                f"The draft (version {result.number}) is being produced and will be emailed to "
                f"the council's DCS. The council may comment on its paragraphs until "
                f"{day_text(report.accuracy_closes_on)}."
            )
        response = self.done(message, version=result if isinstance(result, ReportVersion) else None)
        for warning in warnings:  # agreed all the same: the team leader is told why to check
            messages.warning(request, warning)
        return response


class AccuracyCommentView(FeedbackReportView):
    """The council's comment on one paragraph of the draft."""

    challenge_permission = "lga_cspc.comment_accuracy"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = AccuracyCommentForm(request.POST)
        section = request.POST.get("section", "")
        try:
            paragraph = int(request.POST.get("paragraph", ""))
        except ValueError:
            paragraph = None
        error = {
            "section": section,
            "paragraph": paragraph,
            "value": request.POST.get("text", ""),
            "placed": section in SECTION_LABELS and paragraph is not None,
        }
        if not form.is_valid():
            placement = form.errors.get("section") or form.errors.get("paragraph")
            error["message"] = (placement or next(iter(form.errors.values())))[0]
            error["placed"] = error["placed"] and not placement
            return self.render_page(comment_error=error)
        data = form.cleaned_data
        try:
            report_comment(
                challenge=self.challenge,
                user=request.user,
                section=data["section"],
                paragraph=data["paragraph"],
                text=data["text"],
            )
        except ValidationError as refusal:
            fields = refusal.message_dict
            error["message"] = next(iter(fields.values()))[0]
            error["placed"] = error["placed"] and not ({"section", "paragraph"} & set(fields))
            return self.render_page(comment_error=error)
        label = SECTION_LABELS[data["section"]].lower()
        return self.done(
            f"Your comment on paragraph {data['paragraph']} of the {label} was sent. The peer "
            "challenge manager will resolve it.",
            f"#comment-{data['section']}-{data['paragraph']}",
        )


class CommentResolveView(FeedbackReportView):
    """The peer challenge manager resolves one comment (404 for a comment of another
    challenge; 403 for anyone but the peer challenge manager)."""

    challenge_permission = "lga_cspc.draft_report"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        comment = (
            AccuracyComment.objects.filter(report__challenge=self.challenge, pk=kwargs["comment"])
            .select_related("report")
            .first()
        )
        if comment is None:
            raise Http404("No such comment on this report.")
        if not rules.peer_challenge_manager(request.user, self.challenge):
            raise PermissionDenied
        form = CommentResolveForm(request.POST)
        message = None
        if form.is_valid():
            try:
                report_resolve_comment(
                    comment=comment,
                    user=request.user,
                    resolution=form.cleaned_data["resolution"],
                )
            except ValidationError as error:
                message = error.messages[0]
        else:
            message = form.errors["resolution"][0]
        if message:
            return self.render_page(
                resolve_error={
                    "comment": comment.pk,
                    "message": message,
                    "value": request.POST.get("resolution", ""),
                }
            )
        return self.done(
            "The comment was resolved.", f"#comment-{comment.section}-{comment.paragraph}"
        )


class ReportShareView(ChallengeMixin, TemplateView):
    """The council's sponsor shares the final report with its regional alliance, choosing
    the audience there. GET shows the choice; POST shares (service refusals on the page)."""

    challenge_permission = "lga_cspc.share_report"
    template_name = "lga_cspc/report_share.html"

    def form(self, data=None) -> ReportShareForm:
        alliances = regional_alliances_of(challenge=self.challenge)
        choices = []
        for audience in ShareAudience.values:
            count = len(shared_report_readers(challenge=self.challenge, audience=audience))
            label = share_audience_label(audience=audience, alliances=alliances)
            choices.append((audience, f"{label} ({count} {'person' if count == 1 else 'people'})"))
        names = " and ".join(alliance.name for alliance in alliances) or "the regional alliance"
        form = ReportShareForm(data, choices=choices, question=f"Who in {names} may read it?")
        form.helper.form_action = self.request.path
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = report_of(challenge=self.challenge)
        context["report"] = report
        context["shareable"] = (
            report is not None
            and report.state == ReportState.FINAL
            and report.shared_with_region_at is None
        )
        if "form" not in kwargs and context["shareable"]:
            context["form"] = self.form()
        return context

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                report = report_share(
                    challenge=self.challenge,
                    user=request.user,
                    audience=form.cleaned_data["audience"],
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                label = share_audience_label(
                    audience=report.share_audience,
                    alliances=regional_alliances_of(challenge=self.challenge),
                )
                messages.success(
                    request,
                    f"The final report is shared with the region. {label} can now read and "
                    "download it; they are being emailed a link.",
                )
                return redirect(_report_url(self.challenge) + "#report-share")
        return self.render_to_response(self.get_context_data(form=form))


class ReportUnshareView(ChallengeMixin, ConfirmMixin, TemplateView):
    """A destructive step: the GET (and a POST without "confirm") says who loses access;
    only "Yes, stop sharing" stops it. A second confirmation finds nothing to stop."""

    challenge_permission = "lga_cspc.share_report"
    template_name = "lga_cspc/report_unshare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sharing"] = sharing_context(
            challenge=self.challenge, report=report_of(challenge=self.challenge)
        )
        return context

    def confirmed_post(self, request, *args, **kwargs):
        try:
            stopped = report_unshare(challenge=self.challenge, user=request.user)
        except ValidationError as error:
            raise PermissionDenied(error.messages[0]) from error
        messages.success(
            request,
            "The final report is no longer shared with the region."
            if stopped
            else "The final report was not shared with the region: nothing changed.",
        )
        return redirect(_report_url(self.challenge) + "#report-share")


# From the regional alliance --------------------------------------------------------------


class RegionalAllianceMixin(AlliancePermissionMixin):
    """Pages of a REGIONAL alliance (404 in the national one). The reports listed belong to
    the LGA (another tenant): selectors.shared_reports_for reads them across alliances and
    holds the one rule of who reads which (the audience the sponsor chose)."""

    # The same rule as the navigation's link (permissions.py).
    permission_required = "lga_cspc.view_shared_reports"
    alliance_kind = Alliance.Kind.REGIONAL

    def shared_reports(self):
        """The final reports this person reads from this alliance."""
        return shared_reports_for(user=self.request.user, alliance=self.request.alliance)


def _final_versions(challenge_ids) -> dict[int, ReportVersion]:
    latest: dict[int, ReportVersion] = {}
    for version in ReportVersion.objects.filter(
        report=FEEDBACK_REPORT,
        subject_type=ContentType.objects.get_for_model(Challenge),
        subject_id__in=list(challenge_ids),
        title=FINAL_TITLE,
        status=ReportVersion.Status.RENDERED,
    ).order_by("subject_id", "-number"):
        latest.setdefault(version.subject_id, version)
    return latest


class SharedReportsView(RegionalAllianceMixin, TemplateView):
    template_name = "lga_cspc/shared_reports.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        with scopes_disabled():  # the LGA's reports and versions, filtered by the selector
            reports = list(
                self.shared_reports()
                .select_related("challenge__local_authority", "challenge__offer", "alliance")
                .order_by("-shared_with_region_at", "pk")
            )
            versions = _final_versions(report.challenge_id for report in reports)
        for report in reports:
            report.final_version = versions.get(report.challenge_id)
        context["shared_reports"] = reports
        return context


class _SharedVersionMixin:
    """Looks the shared report's final version up before any method is dispatched (after the
    alliance checks), so anything this person does not read is 404 whatever the method."""

    def dispatch(self, request, *args, **kwargs):
        with scopes_disabled():  # the LGA's report, filtered by the selector
            report = (
                self.shared_reports()
                .filter(challenge_id=kwargs["challenge"])
                .select_related("alliance")
                .first()
            )
            self.version = (
                _final_versions([report.challenge_id]).get(report.challenge_id)
                if report is not None
                else None
            )
        if self.version is None:
            raise Http404("No such shared report.")
        self.report = report
        return super().dispatch(request, *args, **kwargs)


class SharedReportDownloadView(RegionalAllianceMixin, _SharedVersionMixin, View):
    """The final PDF of a report shared with this person's audience in this region (404 for
    anything else), the download written to the access log of the alliance the report
    belongs to (the LGA)."""

    def get(self, request, *args, **kwargs):
        return report_file_response(request, self.version)
