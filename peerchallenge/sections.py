"""Where the core links to an offer's pages without importing it: the alliance
navigation's sections (the header lists those the person may open) and the links on a
council's page (e.g. its data pack). Each offer app registers them from its OfferConfig."""

from dataclasses import dataclass

from .offers.registry import Registry


@dataclass(frozen=True)
class Section:
    key: str  # also the offer's URL namespace, so the header can mark it current
    label: str
    url_name: str  # takes the `alliance` slug
    permission: str
    description: str = ""  # one sentence, on the alliance's "Peer challenges" page
    # The menu has one "Peer challenges" item for the offers (so that it fits one row); a
    # section that is not an offer people take part in (the data) has its own item.
    in_menu: bool = False


SECTIONS: Registry[Section] = Registry("sections", key=lambda section: section.key)


def register_section(section: Section) -> None:
    SECTIONS.register(section)


def sections() -> list[Section]:
    return list(SECTIONS)


@dataclass(frozen=True)
class CouncilLink:
    label: str  # "Data pack"
    url_name: str  # takes the `alliance` slug and the council's `gss` code
    permission: str  # asked of the alliance


COUNCIL_LINKS: Registry[CouncilLink] = Registry("council links", key=lambda link: link.url_name)


def register_council_link(link: CouncilLink) -> None:
    COUNCIL_LINKS.register(link)


def council_links_for(user, alliance) -> list[CouncilLink]:
    """The links a council's page shows this person: those they may open."""
    return [link for link in COUNCIL_LINKS if user.has_perm(link.permission, alliance)]


@dataclass(frozen=True)
class AllianceAction:
    """A page of one app that another app may send people to, to start something there
    (e.g. the thematic offer's "schedule an event", from the regional development plan's
    thematic hosted visit). The caller adds its own query string (`?theme=...`)."""

    key: str  # what the other app asks for: "thematic_event_create"
    label: str
    url_name: str  # takes the `alliance` slug
    permission: str  # asked of the alliance


ALLIANCE_ACTIONS: Registry[AllianceAction] = Registry(
    "alliance actions", key=lambda action: action.key
)


def register_alliance_action(action: AllianceAction) -> None:
    ALLIANCE_ACTIONS.register(action)


def alliance_action_for(user, alliance, key: str) -> AllianceAction | None:
    """The action registered under `key`, if this person may open it in this alliance."""
    action = ALLIANCE_ACTIONS.get(key)
    if action is None or not user.has_perm(action.permission, alliance):
        return None
    return action
