"""Writes for the themes of a regional alliance: the standard themes, and the themes
councils suggest, support and the planners accept or decline."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from peerchallenge.emails import email_send
from peerchallenge.models import Alliance, User

from ..models import STANDARD_THEMES, SuggestionSupport, Theme, ThemeSuggestion


def themes_ensure_standard(*, alliance: Alliance) -> list[Theme]:
    """Create the standard themes the alliance does not have yet (by name, any case); return
    the alliance's themes."""
    have = {
        name.lower()
        for name in Theme.objects.filter(alliance=alliance).values_list("name", flat=True)
    }
    for name in STANDARD_THEMES:
        if name.lower() not in have:
            Theme.objects.create(alliance=alliance, name=name)
    return list(Theme.objects.filter(alliance=alliance))


def _duplicate_message(*, alliance: Alliance, name: str) -> str:
    theme = Theme.objects.filter(alliance=alliance, name__iexact=name).first()
    if theme is not None:
        return f"“{theme.name}” is already one of the alliance's themes."
    open_one = ThemeSuggestion.objects.filter(
        alliance=alliance, name__iexact=name, status=ThemeSuggestion.Status.OPEN
    ).first()
    if open_one is not None:
        return f"“{open_one.name}” has already been suggested: support that suggestion instead."
    return ""


def suggestion_create(
    *, alliance: Alliance, name: str, reason: str, suggested_by: User, council=None
) -> ThemeSuggestion:
    """A new theme suggestion, with the suggester's reason. Refused if the theme exists or is
    already suggested (any case)."""
    name, reason = " ".join((name or "").split()), (reason or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Enter the theme you suggest."
    elif duplicate := _duplicate_message(alliance=alliance, name=name):
        errors["name"] = duplicate
    if not reason:
        errors["reason"] = "Enter why the alliance should hold a challenge on this theme."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return ThemeSuggestion.objects.create(
                alliance=alliance,
                name=name,
                reason=reason,
                suggested_by=suggested_by,
                council=council,
            )
    except IntegrityError:  # suggested by someone else a moment ago
        raise ValidationError({"name": _duplicate_message(alliance=alliance, name=name)}) from None


def suggestion_support(*, suggestion: ThemeSuggestion, user: User) -> SuggestionSupport:
    """Record `user`'s support of an open suggestion: once each, never one's own."""
    if not suggestion.is_open:
        raise ValidationError("This suggestion has already been decided.")
    if suggestion.suggested_by_id == user.pk:
        raise ValidationError("You made this suggestion: others can support it.")
    if suggestion.supports.filter(user=user).exists():
        raise ValidationError("You already support this suggestion.")
    try:
        with transaction.atomic():
            return SuggestionSupport.objects.create(
                alliance_id=suggestion.alliance_id, suggestion=suggestion, user=user
            )
    except IntegrityError:
        raise ValidationError("You already support this suggestion.") from None


@transaction.atomic
def suggestion_decide(
    *, suggestion: ThemeSuggestion, accept: bool, note: str, decided_by: User
) -> ThemeSuggestion:
    """Accept (the theme joins the alliance's list) or decline an open suggestion, with a
    note to the suggester, who is emailed the decision and the note (once committed)."""
    suggestion = ThemeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not suggestion.is_open:
        raise ValidationError("This suggestion has already been decided.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Enter a note explaining the decision."})
    if accept:
        if Theme.objects.filter(
            alliance_id=suggestion.alliance_id, name__iexact=suggestion.name
        ).exists():
            raise ValidationError({"note": f"“{suggestion.name}” is already a theme."})
        suggestion.theme = Theme.objects.create(
            alliance_id=suggestion.alliance_id, name=suggestion.name, description=suggestion.reason
        )
    suggestion.status = (
        ThemeSuggestion.Status.ACCEPTED if accept else ThemeSuggestion.Status.DECLINED
    )
    suggestion.decision_note = note
    suggestion.decided_by = decided_by
    suggestion.decided_at = timezone.now()
    suggestion.save()
    suggester = suggestion.suggested_by
    if suggester is not None and suggester.is_active and suggester.email:
        path = reverse("thematic:theme_list", kwargs={"alliance": suggestion.alliance.slug})
        email_send(
            template="thematic_suggestion_decided",
            to=[suggester.email],
            context={"suggestion": suggestion, "path": path},
        )
    return suggestion
