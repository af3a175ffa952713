"""The thematic offer's part of the cross-tenant matrix (tests/test_tenancy_matrix.py)."""


def london_thematic(world) -> dict:
    """URL keyword -> the pk of an object of the thematic offer filed under London."""
    if not hasattr(world, "london_thematic"):
        from thematic.models import ThemeSuggestion

        from .factories import event, nomination, theme

        london_event = event(world.london, councils=("Camden", "Hackney"))
        suggestion = ThemeSuggestion.objects.create(
            alliance=world.london, name="Secret theme", reason="Must not be seen"
        )
        world.london_thematic = {
            "theme": theme(world.london).pk,
            "suggestion": suggestion.pk,
            "event": london_event.pk,
            "nomination": nomination(london_event, "Camden").pk,
        }
    return world.london_thematic
