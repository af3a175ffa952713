"""The thematic offer's part of the cross-tenant matrix (tests/test_tenancy_matrix.py)."""


def thematic_ids(alliance, councils: tuple[str, ...]) -> dict:
    """URL keyword -> the pk of an object of the thematic offer filed under `alliance`: an
    event of `councils` with a nomination from the first, a theme and a suggestion."""

    from .factories import ThemeSuggestionFactory, event, nomination, theme

    made_event = event(alliance, councils=councils)
    suggestion = ThemeSuggestionFactory(
        alliance=alliance, name="Secret theme", reason="Must not be seen"
    )
    return {
        "theme": theme(alliance).pk,
        "suggestion": suggestion.pk,
        "event": made_event.pk,
        "nomination": nomination(made_event, councils[0]).pk,
    }


def london_thematic(world) -> dict:
    """URL keyword -> the pk of an object of the thematic offer filed under London."""
    if not hasattr(world, "london_thematic"):
        world.london_thematic = thematic_ids(world.london, ("Camden", "Hackney"))
    return world.london_thematic
