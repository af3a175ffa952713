"""Answers to the flags on a council's data pack. A flag is a prompt, never a judgement: the
council (or the alliance's programme manager or data lead) says what lies behind it
(explained), why it does not matter here (set aside), or makes it a line of enquiry for its
peers: a draft key line of enquiry, with the figures quoted, on one of the council's
challenges in whichever offer takes one (peerchallenge.kloe_targets), written by the core's
`kloe_create` so the offer's own rules on KLOEs apply to it. Saving an answer makes the
home page read the alliance's flags afresh (selectors_flags.flag_states_forget).

One answer per council, indicator and period (the figure's): answering again changes it.
A flag has one line of enquiry: once one is made, answering "line of enquiry" again keeps
it (it is the council's to change on its challenge's page), so a form sent twice makes one."""

from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from peerchallenge.kloe_targets import KloeTarget, kloe_targets_for
from peerchallenge.models import Alliance, LocalAuthority, User
from peerchallenge.services.kloes import kloe_create
from peerchallenge.text_limits import MEDIUM, text_errors

from ..models import FlagAnswer, Indicator
from ..permissions import may_answer_flags
from ..selectors import PackRow
from ..selectors_flags import flag_row, flag_states_forget, real_flags

Answer = FlagAnswer.Answer

# The message next to the text box of each answer when it is empty.
TEXT_REQUIRED = {
    Answer.EXPLAINED: "Enter what explains the figure.",
    Answer.SET_ASIDE: "Enter why you are setting the flag aside.",
    Answer.ENQUIRY: "Enter why it matters: what the peers should look at.",
}
TEXT_LABELS = {
    Answer.EXPLAINED: "What explains the figure",
    Answer.SET_ASIDE: "Why you are setting it aside",
    Answer.ENQUIRY: "Why it matters",
}
CHOOSE_ANSWER = "Choose whether the flag is explained, set aside or a line of enquiry."
CHOOSE_TARGET = "Choose the challenge the line of enquiry is for."
NOT_A_TARGET = (
    "Choose one of the challenges listed: that one does not take a line of enquiry from you."
)


def figures_quoted(*, council: LocalAuthority, row: PackRow) -> str:
    """The figures behind the flags, on one line: "Re-referrals...: Derby 23.1% in 2025;
    statistical neighbours' median 19.8% (range 16.5% to 27.7%, 10 of 10 published);
    England 22.6%. Flagged: markedly above its neighbours' median." """
    indicator = row.indicator

    def number(value: Decimal | None) -> str:
        if value is None:
            return "not published"
        suffix = "%" if indicator.unit == "percent" else ""
        return f"{value:,.{indicator.decimals}f}{suffix}"

    parts = [f"{council.name} {number(row.figure.value)} in {row.period}"]
    stats = row.neighbours
    if stats.reporting:
        parts.append(
            f"statistical neighbours' median {number(stats.median)} (range {number(stats.low)} "
            f"to {number(stats.high)}, {stats.reporting} of {len(row.neighbour_figures)} "
            "published)"
        )
    if row.england is not None:
        parts.append(f"England {number(row.england.value)}")
    flagged = "; ".join(flag.text[:1].lower() + flag.text[1:] for flag in real_flags(row))
    return f"{indicator.title}: {'; '.join(parts)}. Flagged: {flagged}."


def _kloe_fields(*, council, row: PackRow, target: KloeTarget, text: str) -> dict:
    question = f"{figures_quoted(council=council, row=row)} What lies behind it?"
    if target.one_line:
        question = " ".join(question.split())
    return {
        "title": (target.title or row.indicator.title)[:200],
        "question": question,
        "why_it_matters": text,
    }


def _answer_locked(*, alliance, council, indicator, period, defaults) -> tuple[FlagAnswer, bool]:
    """The answer's row, locked (made first if there is none: at the same moment as another
    request, the other's, once it commits)."""
    # No ordering: the model's joins the council, whose row must not be locked too.
    mine = (
        FlagAnswer.objects.select_for_update()
        .filter(alliance=alliance, council=council, indicator=indicator, period=period)
        .order_by()
    )
    found = mine.first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            return (
                FlagAnswer.objects.create(
                    alliance=alliance,
                    council=council,
                    indicator=indicator,
                    period=period,
                    **defaults,
                ),
                True,
            )
    except IntegrityError:  # answered at the same moment: theirs is the row
        return mine.get(), False


def flag_answer(
    *,
    alliance: Alliance,
    council: LocalAuthority,
    indicator: Indicator,
    period: str,
    answer: str,
    text: str,
    answered_by: User,
    target: KloeTarget | str | None = None,
) -> FlagAnswer:
    """Record `answered_by`'s answer to the flags on the council's figure of `indicator` for
    `period`, replacing any earlier answer, and for a line of enquiry make the draft KLOE on
    `target` (one of `kloe_targets_for` this person, or its key) unless the answer already
    has one (then no target is needed). Refuses (ValidationError, by field: `answer`,
    `text`, `target`) an answer without its text, a line of enquiry without a challenge or
    on one not offered to this person, and (on no field) a figure with no flag to answer:
    not the latest, not in the alliance's data pack, or without flags. PermissionDenied for
    whoever may not answer the council's flags (permissions.may_answer_flags)."""
    if not may_answer_flags(answered_by, alliance=alliance, council=council):
        raise PermissionDenied
    row = flag_row(alliance=alliance, council=council, indicator=indicator)
    if row is None or row.period != period or not real_flags(row):
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"There is no flag to answer on {indicator.title} for {council.name} in "
                    f"{period}: the figures may have changed since the page was opened."
                ]
            }
        )
    text = (text or "").strip()
    errors = {}
    chosen = None
    # A line of enquiry made already stays the flag's one: no challenge to choose again.
    has_line = FlagAnswer.objects.filter(
        alliance=alliance,
        council=council,
        indicator=indicator,
        period=period,
        kloe__isnull=False,
    ).exists()
    if answer not in Answer.values:
        errors["answer"] = CHOOSE_ANSWER
    else:
        if not text:
            errors["text"] = TEXT_REQUIRED[answer]
        errors.update(text_errors(text=(TEXT_LABELS[answer], text, MEDIUM)))
        if answer == Answer.ENQUIRY and not has_line:
            key = getattr(target, "key", target)
            if not key:
                errors["target"] = CHOOSE_TARGET
            else:
                offered = kloe_targets_for(alliance=alliance, council=council, user=answered_by)
                chosen = next((each for each in offered if each.key == key), None)
                if chosen is None:
                    errors["target"] = NOT_A_TARGET
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        found, created = _answer_locked(
            alliance=alliance,
            council=council,
            indicator=indicator,
            period=period,
            defaults={"answer": answer, "text": text, "answered_by": answered_by},
        )
        if not created:
            found.answer = answer
            found.text = text
            found.answered_by = answered_by
            found.answered_at = timezone.now()
        if chosen is not None and found.kloe_id is None:
            found.kloe = kloe_create(
                challenge=chosen.challenge,
                local_authority=council,
                created_by=answered_by,
                **_kloe_fields(council=council, row=row, target=chosen, text=text),
            )
        found.save()
        # The home page reads the alliance's flag state from the cache: read it afresh, now
        # and once this commits (a page between the two would keep the old state).
        flag_states_forget([alliance.pk])
        transaction.on_commit(lambda: flag_states_forget([alliance.pk]))
    return found
