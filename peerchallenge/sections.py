"""The alliance navigation's offer sections. Each offer app registers its section from
AppConfig.ready(); the core's header lists those the person may open."""

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
