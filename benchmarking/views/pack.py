"""A council's data pack: each indicator's latest figure against England, its region and
its statistical neighbours, with two charts and their tables."""

from django.views.generic import TemplateView

from peerchallenge.kloe_targets import kloe_links
from peerchallenge.permissions import council_ids_in
from peerchallenge.views.councils import CouncilMixin
from peerchallenge.views.mixins import client_ip

from ..models import ATTRIBUTION
from ..permissions import may_answer_flags
from ..presentation import pack_sections, pack_symbols
from ..selectors import pack_contents, pack_pdfs_of
from ..selectors_returns import local_pack
from ..services.returns import return_view_record


class DataPackView(CouncilMixin, TemplateView):
    permission_required = "benchmarking.view_data_pack"
    template_name = "benchmarking/data_pack.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicators, themes, local_indicators = pack_contents(self.alliance)
        rows, sections = pack_sections(
            alliance=self.alliance, council=self.council, indicators=indicators, themes=themes
        )
        self._kloe_links(sections)
        context.update(
            sections=sections,
            symbols=pack_symbols(rows),
            attribution=ATTRIBUTION,
            region_name=self.council.region.name,
            local_sections=self._local(local_indicators),
            pdf=pack_pdfs_of(
                alliance=self.alliance, council=self.council, user=self.request.user
            ).first(),
            can_answer=may_answer_flags(
                self.request.user, alliance=self.alliance, council=self.council
            ),
        )
        return context

    def _local(self, indicators) -> list:
        """The council's figures for the alliance's local indicators; a view of another
        council's provisional ones (a quarter not yet published) goes into the access log."""
        sections = local_pack(alliance=self.alliance, council=self.council, indicators=indicators)
        if self.council.pk not in council_ids_in(self.request.user, self.alliance.pk):
            provisional = {
                row.quarter.pk: row.quarter
                for section in sections
                for row in section.rows
                if row.figure is not None and not row.quarter.is_published
            }
            for quarter in provisional.values():
                return_view_record(
                    quarter=quarter,
                    user=self.request.user,
                    ip_address=client_ip(self.request),
                    council=self.council,
                )
        return sections

    def _kloe_links(self, sections) -> None:
        """The link to the line of enquiry each answer made, for those who may read it. One
        query per offer whose lines the answers made."""
        kloes = [s.answer.kloe for s in sections if s.answer is not None and s.answer.kloe_id]
        links = kloe_links(kloes=kloes, user=self.request.user) if kloes else {}
        for section in sections:
            if section.answer is not None and section.answer.kloe_id:
                section.kloe_url = links.get(section.answer.kloe_id, "")
