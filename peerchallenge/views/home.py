from django.views.generic import TemplateView

from ..needs import needs_for
from ..selectors import alliances_for_user


class HomeView(TemplateView):
    template_name = "peerchallenge/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alliances"] = alliances_for_user(user=self.request.user)
        context["needs"] = needs_for(user=self.request.user)
        return context
