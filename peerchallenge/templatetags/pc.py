"""Small template helpers for the GOV.UK look. No business rules: permissions are asked of
`request.user.has_perm`, as the views do."""

import copy

from django import forms, template
from django.urls import reverse

from ..form_fields import GovukDateInput, GovukTimeInput
from ..sections import council_links_for, sections

register = template.Library()

# Which navigation item a page belongs to, by URL name.
_NAV_SECTIONS = {
    "home": "home",
    "alliance_detail": "alliance",
    "council_list": "councils",
    "council_detail": "councils",
    # The members and the reminders are the alliance's own business, on its page.
    "member_list": "alliance",
    "member_invite": "alliance",
    "membership_edit": "alliance",
    "membership_remove": "alliance",
    "invitation_cancel": "alliance",
    "alliance_overview": "overview",
    "tier2_list": "tier2",
    "tier2_group_create": "tier2",
    "tier2_board": "tier2",
    "action_detail": "tier2",
    "action_change": "tier2",
    "action_remove": "tier2",
    "reminder_log": "alliance",
    "reminder_settings": "alliance",
    "access_log": "alliance",
    "alliance_challenges": "challenges",
}


@register.simple_tag(takes_context=True)
def has_alliance_perm(context, perm: str, alliance=None) -> bool:
    """`{% has_alliance_perm "peerchallenge.view_members" as can %}`: may the signed-in
    person do this in the current alliance (`request.alliance`), or in `alliance=`?
    Roles are loaded once per request (peerchallenge.permissions), so asking is cheap."""
    request = context.get("request")
    user = getattr(request, "user", None)
    alliance = alliance or getattr(request, "alliance", None)
    if alliance is None or user is None or not user.is_authenticated:
        return False
    return user.has_perm(perm, alliance)


@register.simple_tag(takes_context=True)
def has_object_perm(context, perm: str, obj) -> bool:
    """`{% has_object_perm "peerchallenge.change_action" action as can %}`: may the
    signed-in person do this to this object? The rule is the app's (permissions.py); a link
    to a page the person could not open is not shown."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or user is None or not user.is_authenticated:
        return False
    return user.has_perm(perm, obj)


@register.simple_tag(takes_context=True)
def nav_section(context) -> str:
    """The navigation item to mark as current on this page ("" for none)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    for section in sections():
        if match.namespace == section.key:
            # An offer's pages are under the menu's "Peer challenges".
            return section.key if section.in_menu else "challenges"
    return _NAV_SECTIONS.get(match.url_name, "")


@register.simple_tag(takes_context=True)
def alliance_sections(context) -> list[dict]:
    """The offer sections (registered by offer apps) the person may open in this alliance."""
    request = context.get("request")
    alliance = getattr(request, "alliance", None)
    if alliance is None:
        return []
    return [
        {
            "key": s.key,
            "label": s.label,
            "href": reverse(s.url_name, kwargs={"alliance": alliance.slug}),
            "description": s.description,
            "in_menu": s.in_menu,
        }
        for s in sections()
        if request.user.has_perm(s.permission, alliance)
    ]


@register.filter
def grouped_sections(offer_sections: list[dict]) -> list[dict]:
    """The person's offers under the menu's "Peer challenges" item (not those with an item
    of their own)."""
    return [offer for offer in offer_sections if not offer["in_menu"]]


@register.inclusion_tag("includes/council_links.html", takes_context=True)
def council_links(context, council) -> dict:
    """The links to a council's pages in other apps (its data pack...) this person may
    open: on the council's page and on each challenge of that council."""
    alliance = context["alliance"]
    return {
        "links": council_links_for(context["request"].user, alliance),
        "council": council,
        "alliance": alliance,
    }


def _widget_kind(widget) -> str:
    if isinstance(widget, GovukDateInput | GovukTimeInput):
        return "date"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # before RadioSelect, its base
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.filter
def widget_kind(bound_field) -> str:
    """The kind of widget: checkbox, radios, checkboxes, select, textarea, file, date (our
    date and time inputs, boxes in a fieldset) or input."""
    return _widget_kind(bound_field.field.widget)


_CLASSES = {
    "checkbox": "govuk-checkboxes__input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
    "input": "govuk-input",
}
_ERROR_CLASSES = {
    "select": "govuk-select--error",
    "textarea": "govuk-textarea--error",
    "file": "govuk-file-upload--error",
    "input": "govuk-input--error",
}


@register.simple_tag
def govuk_widget(bound_field, extra_class: str = "", hint=None):
    """Render a form field's widget with GOV.UK classes, hint and error references, and
    without a placeholder (GOV.UK uses labels and hints instead). `hint`: whether a hint is
    shown (defaults to whether the field has help text)."""
    widget = copy.copy(bound_field.field.widget)
    widget.attrs = {k: v for k, v in widget.attrs.items() if k != "placeholder"}
    kind = _widget_kind(widget)
    classes = [_CLASSES.get(kind, "")]
    if bound_field.errors and kind in _ERROR_CLASSES:
        classes.append(_ERROR_CLASSES[kind])
    classes += [widget.attrs.get("class", ""), extra_class]
    described_by = []
    if bound_field.help_text if hint is None else hint:
        described_by.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
    attrs = {"class": " ".join(c for c in classes if c)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(widget=widget, attrs=attrs)


@register.filter
def elided_pages(page):
    """Page numbers for a GOV.UK pagination component, with "…" for the gaps."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.filter
def is_ellipsis(value) -> bool:
    return not isinstance(value, int)


_MESSAGE_GROUPS = [
    # (kind, banner title, ARIA role, the message level tags it takes; None: all the rest)
    ("success", "Success", "alert", {"success"}),
    ("problem", "There is a problem", "alert", {"error", "warning"}),
    ("important", "Important", "region", None),
]


@register.filter
def message_groups(messages) -> list[dict]:
    """Django messages grouped for notification banners: success, problems, the rest."""
    remaining = list(messages or [])
    groups = []
    for kind, title, role, tags in _MESSAGE_GROUPS:
        selected = [m for m in remaining if tags is None or m.level_tag in tags]
        remaining = [m for m in remaining if m not in selected]
        if selected:
            groups.append({"kind": kind, "title": title, "role": role, "messages": selected})
    return groups


_RAG_TAGS = {"green": "govuk-tag--green", "amber": "govuk-tag--yellow", "red": "govuk-tag--red"}


@register.filter
def rag_tag(status: str) -> str:
    """The GOV.UK tag colour for an action's RAG status (complete is the default blue)."""
    return _RAG_TAGS.get(status, "")
