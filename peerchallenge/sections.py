"""The alliance navigation's offer sections. Each offer app registers its section from
AppConfig.ready(); the core's header lists those the person may open."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str  # also the offer's URL namespace, so the header can mark it current
    label: str
    url_name: str  # takes the `alliance` slug
    permission: str


_sections: list[Section] = []


def register_section(section: Section) -> None:
    if section not in _sections:
        _sections.append(section)


def sections() -> list[Section]:
    return list(_sections)
