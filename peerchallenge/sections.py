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
