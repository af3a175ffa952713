from peerchallenge.offers import config
from peerchallenge.sections import AllianceAction, Section


class ThematicConfig(config.OfferConfig):
    """The thematic offer; what it declares is read by OfferConfig (peerchallenge/offers)."""

    name = "thematic"
    verbose_name = "Thematic peer challenges"
    offer = "Thematic peer challenge"
    alliance_kinds = ("regional",)  # Alliance.Kind.REGIONAL (models load after apps.py)
    calendar_providers = ("calendar.thematic_events",)
    overview_providers = ("overview.thematic_rows",)
    action_sources = (("ThematicEvent", {"theme_path": "theme__name"}),)
    sections = (
        Section(
            key="thematic",
            label="Thematic challenges",
            url_name="thematic:event_list",
            permission="thematic.view_events",
            description=(
                "Events on one theme for several councils, with nominations, the day itself, each "
                "council's next steps and the summary."
            ),
        ),
    )
    # Scheduling an event, from elsewhere (the regional development plan's thematic hosted
    # visits): `?theme=<name>` chooses the alliance's theme of that name.
    alliance_actions = (
        AllianceAction(
            key="thematic_event_create",
            label="Schedule the thematic event",
            url_name="thematic:event_create",
            permission="thematic.manage_event",
        ),
    )
