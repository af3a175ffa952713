"""Peer scrutiny of the self-evaluations, and the same for the development plans' peer
challenge (`Scrutiny.stage`): the planners assign each council the councils that scrutinise
it (suggested by the triad grouping rule, last year's pairings avoided: each council in a
group scrutinises the others; a plan's challengers by default the same councils as its
self-evaluation's); a scrutinising council's organisers and DCS comment section by section
(priority by priority for a plan) and record a moderation note; the council replies. Every
text is guarded against lost updates (peerchallenge.concurrency)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from peerchallenge.concurrency import values_check_unchanged
from peerchallenge.grouping import GroupingError, triads_suggest
from peerchallenge.models import LocalAuthority, User
from peerchallenge.selectors import councils_of_alliance

from ..models import (
    Cycle,
    DevelopmentPlan,
    Priority,
    Scrutiny,
    ScrutinyComment,
    SelfEvaluation,
    TemplateSection,
)
from ..selectors import council_infos, open_cycle_forget, past_pairs_of

SELF_EVALUATION = Scrutiny.Stage.SELF_EVALUATION
PLAN = Scrutiny.Stage.PLAN


def scrutiny_suggest(cycle: Cycle) -> list[list[LocalAuthority]]:
    """Groups of 3 or 4 of the alliance's councils, each council to be scrutinised by the
    others in its group: the triad grouping rule (peerchallenge.grouping), with the pairs
    that scrutinised each other in earlier cycles avoided and councils of the same Ofsted
    grade spread out. Empty when the councils cannot be grouped."""
    councils = list(councils_of_alliance(alliance=cycle.alliance).order_by("name"))
    try:
        suggestion = triads_suggest(council_infos(councils), past_pairs=past_pairs_of(cycle))
    except GroupingError:
        return []
    by_id = {council.pk: council for council in councils}
    return [[by_id[pk] for pk in group] for group in suggestion.groups]


@transaction.atomic
def scrutiny_groups_assign(
    *, cycle: Cycle, groups: list[list[LocalAuthority]], assigned_by: User
) -> int:
    """Each council in a group scrutinised by every other council of the group; a pairing
    already made is kept (assigning twice makes each once). How many were made."""
    pairs = [
        (council, scrutineer)
        for group in groups
        for council in group
        for scrutineer in group
        if scrutineer.pk != council.pk
    ]
    return _pairs_assign(cycle, pairs, stage=SELF_EVALUATION, assigned_by=assigned_by)


@transaction.atomic
def challenge_pairs_copy(*, cycle: Cycle, assigned_by: User) -> int:
    """The development plans' challengers: the councils that scrutinised each council's
    self-evaluation (a pairing already made is kept). How many were made."""
    pairs = [
        (scrutiny.council, scrutiny.scrutineer)
        for scrutiny in Scrutiny.objects.filter(cycle=cycle, stage=SELF_EVALUATION).select_related(
            "council", "scrutineer"
        )
    ]
    return _pairs_assign(cycle, pairs, stage=PLAN, assigned_by=assigned_by)


def _pairs_assign(cycle: Cycle, pairs, *, stage: str, assigned_by: User) -> int:
    Cycle.objects.select_for_update().get(pk=cycle.pk)
    existing = set(
        Scrutiny.objects.filter(cycle=cycle, stage=stage).values_list("council_id", "scrutineer_id")
    )
    made = [
        Scrutiny(
            alliance_id=cycle.alliance_id,
            cycle=cycle,
            stage=stage,
            council=council,
            scrutineer=scrutineer,
            assigned_by=assigned_by,
        )
        for council, scrutineer in dict.fromkeys(pairs)
        if (council.pk, scrutineer.pk) not in existing
    ]
    Scrutiny.objects.bulk_create(made)
    # bulk_create sends no post_save: what each council is asked is read afresh.
    open_cycle_forget(cycle.alliance_id)
    return len(made)


def scrutiny_add(
    *,
    cycle: Cycle,
    council: LocalAuthority,
    scrutineer: LocalAuthority,
    assigned_by: User,
    stage: str = SELF_EVALUATION,
) -> Scrutiny:
    """One more council to scrutinise `council`'s self-evaluation (or challenge its plan);
    adding it twice gives the one."""
    if council.pk == scrutineer.pk:
        raise ValidationError({"scrutineer": "A council does not scrutinise its own work."})
    try:
        with transaction.atomic():
            scrutiny, _ = Scrutiny.objects.get_or_create(
                alliance_id=cycle.alliance_id,
                cycle=cycle,
                stage=stage,
                council=council,
                scrutineer=scrutineer,
                defaults={"assigned_by": assigned_by},
            )
    except IntegrityError:
        scrutiny = Scrutiny.objects.get(
            cycle=cycle, stage=stage, council=council, scrutineer=scrutineer
        )
    return scrutiny


@transaction.atomic
def scrutiny_remove(*, scrutiny: Scrutiny) -> None:
    """Take a scrutinising council off, while it has written nothing."""
    scrutiny = Scrutiny.objects.select_for_update().get(pk=scrutiny.pk)
    if scrutiny.moderation_note or scrutiny.comments.exists():
        raise ValidationError(
            f"{scrutiny.scrutineer.name} has already commented: its scrutiny stays."
        )
    scrutiny.delete()


def _refuse_if_closed(scrutiny: Scrutiny) -> None:
    """The scrutiny is of the submitted self-evaluation (or plan): nothing to comment on
    before then."""
    if scrutiny.stage == PLAN:
        submitted = DevelopmentPlan.objects.filter(
            cycle_id=scrutiny.cycle_id,
            council_id=scrutiny.council_id,
            state=DevelopmentPlan.State.SUBMITTED,
        ).exists()
        what = "development plan"
    else:
        submitted = SelfEvaluation.objects.filter(
            cycle_id=scrutiny.cycle_id,
            council_id=scrutiny.council_id,
            state=SelfEvaluation.State.SUBMITTED,
        ).exists()
        what = "self-evaluation"
    if not submitted:
        raise ValidationError(
            f"{scrutiny.council.name}'s {what} is not submitted: there is nothing to comment "
            "on yet."
        )


@transaction.atomic
def comment_save(
    *,
    scrutiny: Scrutiny,
    text: str,
    written_by: User,
    section: TemplateSection | None = None,
    priority: Priority | None = None,
    base_version: str | None = None,
) -> ScrutinyComment | None:
    """The scrutinising council's comment on a section of the self-evaluation, or the
    challenging council's on a priority of the plan (an empty text removes it). EditConflict
    when someone else saved it since the form was filled."""
    scrutiny = Scrutiny.objects.select_for_update().select_related("council").get(pk=scrutiny.pk)
    _refuse_if_closed(scrutiny)
    about = {"priority": priority} if scrutiny.stage == PLAN else {"section": section}
    if next(iter(about.values())) is None:
        raise ValidationError("Choose what the comment is about.")
    current = ScrutinyComment.objects.filter(scrutiny=scrutiny, **about).first()
    values_check_unchanged(
        current={"text": current.text if current else ""},
        labels={"text": str(next(iter(about.values())))},
        base_version=base_version,
    )
    text = text.strip()
    if not text:
        if current is not None:
            current.delete()
        return None
    if current is None:
        return ScrutinyComment.objects.create(
            alliance_id=scrutiny.alliance_id,
            scrutiny=scrutiny,
            text=text,
            written_by=written_by,
            **about,
        )
    if current.text != text:
        current.text, current.written_by, current.written_at = text, written_by, timezone.now()
        current.save(update_fields=["text", "written_by", "written_at"])
    return current


def _text_save(
    scrutiny: Scrutiny, *, field: str, by: str, at: str, text: str, user: User, base_version
) -> Scrutiny:
    values_check_unchanged(
        current={field: getattr(scrutiny, field)},
        labels={field: str(Scrutiny._meta.get_field(field).verbose_name).capitalize()},
        base_version=base_version,
    )
    text = text.strip()
    if getattr(scrutiny, field) != text:
        setattr(scrutiny, field, text)
        setattr(scrutiny, by, user)
        setattr(scrutiny, at, timezone.now())
        scrutiny.save(update_fields=[field, by, at])
    return scrutiny


@transaction.atomic
def moderation_save(
    *, scrutiny: Scrutiny, note: str, user: User, base_version: str | None = None
) -> Scrutiny:
    """The scrutinising council's moderation note: its overall view, which completes its
    scrutiny."""
    scrutiny = Scrutiny.objects.select_for_update().select_related("council").get(pk=scrutiny.pk)
    _refuse_if_closed(scrutiny)
    if not note.strip():
        raise ValidationError({"note": "Write the moderation note."})
    return _text_save(
        scrutiny,
        field="moderation_note",
        by="moderated_by",
        at="moderated_at",
        text=note,
        user=user,
        base_version=base_version,
    )


@transaction.atomic
def reply_save(
    *, scrutiny: Scrutiny, reply: str, user: User, base_version: str | None = None
) -> Scrutiny:
    """The scrutinised council's reply to a scrutiny, once its moderation note is in."""
    scrutiny = Scrutiny.objects.select_for_update().get(pk=scrutiny.pk)
    if not scrutiny.moderation_note:
        raise ValidationError(
            "Reply once the scrutinising council has recorded its moderation note."
        )
    if not reply.strip():
        raise ValidationError({"reply": "Write your reply."})
    return _text_save(
        scrutiny,
        field="reply",
        by="replied_by",
        at="replied_at",
        text=reply,
        user=user,
        base_version=base_version,
    )
