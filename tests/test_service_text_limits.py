"""The services whose text ends up in a PDF refuse a text over the limit whoever calls them
(an import, a script, another offer), before anything is written: the forms' limits are
not the only guard. A 5 MB triad summary overview once took 71 s to render."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope, scopes_disabled

from peerchallenge.text_limits import LONG

HUGE = "x" * 5_000_000


def refused(call) -> dict:
    # Every refusal here is a text limit; the callers assert which fields and messages.
    with pytest.raises(ValidationError, match="must be 20,000 characters or fewer") as error:
        call()
    return error.value.message_dict


def test_triad_summary_refuses_a_huge_overview_and_saves_nothing(world):
    from tests.triads.factories import CycleFactory, TriadFactory
    from triads.models import CycleSummary
    from triads.services.summary import summary_save

    cycle = CycleFactory(alliance=world.em)
    triad = TriadFactory(cycle=cycle)
    with scope(alliance=world.em):
        errors = refused(
            lambda: summary_save(
                cycle=cycle, overview=HUGE, recommendations="Fine.", triad_texts={triad.pk: HUGE}
            )
        )
        assert errors == {
            "overview": [f"Overview must be {LONG:,} characters or fewer"],
            f"triad_{triad.pk}": [f"The triad's section must be {LONG:,} characters or fewer"],
        }
        assert not CycleSummary.objects.filter(cycle=cycle).exists()
        summary_save(cycle=cycle, overview="x" * LONG, recommendations="", triad_texts={})


def test_thematic_summary_refuses_huge_themes(world):
    from tests.thematic.factories import event
    from thematic.services.summary import summary_save

    with scopes_disabled():
        harm = event(world.em)
    with scope(alliance=world.em):
        errors = refused(
            lambda: summary_save(
                event=harm, emerging_themes=HUGE, proposed_next_steps="", user=world.pm
            )
        )
    assert errors == {"emerging_themes": [f"Emerging themes must be {LONG:,} characters or fewer"]}


def test_on_demand_findings_and_recommendations_refuse_huge_text(world):
    from ondemand.services.findings import findings_save, recommendation_add
    from tests.ondemand.factories import planning_review

    with scopes_disabled():
        review = planning_review(world.em)
    with scope(alliance=world.em):
        assert refused(lambda: findings_save(review=review, key_findings=HUGE)) == {
            "key_findings": [f"Key findings must be {LONG:,} characters or fewer"]
        }
        assert refused(lambda: recommendation_add(review=review, text=HUGE)) == {
            "text": [f"Recommendation must be {LONG:,} characters or fewer"]
        }


def test_lga_feedback_report_refuses_a_huge_section_before_anything_else(world):
    from lga_cspc.models import FeedbackReport
    from lga_cspc.services.report import report_save
    from tests.lga_cspc.factories import ChallengeFactory

    with scopes_disabled():
        challenge = ChallengeFactory()
    with scope(alliance=challenge.alliance):
        errors = refused(lambda: report_save(challenge=challenge, user=world.pm, strengths=HUGE))
        assert errors == {"strengths": [f"Key strengths must be {LONG:,} characters or fewer"]}
        assert not FeedbackReport.objects.filter(challenge=challenge).exists()
