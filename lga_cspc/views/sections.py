"""A part of the challenge's work on a page of its own, opened from the challenge's task
list (views.tasks): what the part's section context gives, under the part's name."""

from django.views.generic import TemplateView

from ..selectors import challenge_page_load, challenge_page_queryset
from .base import ChallengeMixin
from .evaluation import evaluation_detail_context
from .scoping import scoping_detail_context
from .team import team_detail_context

SECTIONS = {
    "proposal": (
        "Scoping and the proposal",
        "lga_cspc/_detail_scoping.html",
        scoping_detail_context,
    ),
    "people": (
        "Sponsor, organiser and peer team",
        "lga_cspc/_detail_team.html",
        team_detail_context,
    ),
    "after": (
        "Evaluation and next steps",
        "lga_cspc/_detail_evaluation.html",
        evaluation_detail_context,
    ),
}


class ChallengeSectionView(ChallengeMixin, TemplateView):
    template_name = "lga_cspc/challenge_section.html"
    section = ""  # a key of SECTIONS, given by the URL

    def object_queryset(self):
        return challenge_page_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        title, template, section_context = SECTIONS[self.section]
        page = challenge_page_load(challenge=self.challenge)
        context.update(section_context(challenge=self.challenge, user=self.request.user, page=page))
        context.update(section_title=title, section_template=template)
        return context
