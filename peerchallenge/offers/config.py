"""OfferConfig: the AppConfig every offer extends. It registers, from ready(), what the
offer declares, by convention of module names inside the offer's package:

- `permissions`: `RULES` (role rules) and `register()` (object rules);
- `reports`: imported, if there is one, so its reports register themselves with reports/;
- `obligations`: `REMINDER_KINDS` and `obligations(...)` (peerchallenge.offers.obligations);
- `calendar_providers`, `overview_providers`: dotted names of the offer's calendar-event
  and overview-row providers, relative to the package;
- `council_facts`: dotted names of providers of what the app knows about a council
  (peerchallenge.council_facts), for pages about that council in other apps;
- `kloe_targets`: dotted names of its `peerchallenge.kloe_targets.KloeTargets`, for an offer
  whose challenges take key lines of enquiry written from elsewhere (a data pack's flag);
- `action_sources`: the models its agreed actions hang from, with options;
- `sections`: its entries in the alliance navigation; `council_links`: its links on a
  council's page; `alliance_actions`: its pages other apps may send people to, to start
  something (peerchallenge.sections);
- `demo`: a module with `seed(stdout=...)`, which `seed_demo` calls.

The core never imports an offer: it only reads these registries.

An offer's apps.py imports this module, not the class (`config.OfferConfig`): Django picks an
app's AppConfig as the one subclass named in its apps module, and would otherwise find two."""

from importlib import import_module, util

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class OfferConfig(AppConfig):
    offer = ""  # the offer's name where the core lists offers ("Triad peer challenge")
    extra_report_modules: tuple[str, ...] = ()  # more modules that register reports
    calendar_providers: tuple[str, ...] = ()
    overview_providers: tuple[str, ...] = ()
    kloe_targets: tuple[str, ...] = ()  # peerchallenge.kloe_targets.KloeTargets
    council_facts: tuple[str, ...] = ()  # peerchallenge.council_facts providers
    # (model name in the offer's models, options for action_sources.register)
    action_sources: tuple[tuple[str, dict], ...] = ()
    sections: tuple = ()  # peerchallenge.sections.Section
    council_links: tuple = ()  # peerchallenge.sections.CouncilLink
    alliance_actions: tuple = ()  # peerchallenge.sections.AllianceAction
    # The kinds of alliance the offer runs in (Alliance.Kind values); empty: every kind. Its
    # obligations and calendar providers are asked only about those alliances.
    alliance_kinds: tuple[str, ...] = ()

    def ready(self):
        # Here: every offer's apps.py imports this module before the app registry is ready,
        # and these modules load models.
        from peerchallenge import action_sources, calendar, council_facts, kloe_targets, overview
        from peerchallenge.models import Alliance
        from peerchallenge.permissions import register_rules
        from peerchallenge.reminders import register_kind
        from peerchallenge.sections import (
            register_alliance_action,
            register_council_link,
            register_section,
        )

        from . import obligations as core_obligations

        unknown = set(self.alliance_kinds) - set(Alliance.Kind.values)
        if unknown:
            raise ImproperlyConfigured(f"{self.name}: no such kind of alliance: {unknown}")
        rules = self._module("permissions")
        register_rules(rules.RULES)
        rules.register()
        self._module("reports", optional=True)
        for name in self.extra_report_modules:
            self._module(name)
        declared = self._module("obligations", optional=True)
        if declared is not None:
            for kind in getattr(declared, "REMINDER_KINDS", ()):
                register_kind(**kind)
            core_obligations.register(declared.obligations, alliance_kinds=self.alliance_kinds)
        for name in self.calendar_providers:
            calendar.register(self._object(name), alliance_kinds=self.alliance_kinds)
        for name in self.overview_providers:
            overview.register(self._object(name))
        for name in self.council_facts:
            council_facts.register(self._object(name))
        for name in self.kloe_targets:
            kloe_targets.register(self._object(name), alliance_kinds=self.alliance_kinds)
        for model_name, options in self.action_sources:
            action_sources.register(self.get_model(model_name), offer=self.offer, **options)
        for section in self.sections:
            register_section(section)
        for link in self.council_links:
            register_council_link(link)
        for action in self.alliance_actions:
            register_alliance_action(action)
        self.register_more()

    def register_more(self) -> None:
        """Anything the offer registers that the declarations above do not cover."""

    def seed_demo(self, *, stdout):
        self._module("demo").seed(stdout=stdout)

    def _module(self, name: str, *, optional: bool = False):
        path = f"{self.name}.{name}"
        if optional and util.find_spec(path) is None:
            return None
        return import_module(path)

    def _object(self, dotted: str):
        return import_string(f"{self.name}.{dotted}")
