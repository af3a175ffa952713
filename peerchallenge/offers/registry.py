"""One registry type for everything an offer declares to the core (obligations, calendar
and overview providers, sections, action sources, reminder kinds, reports...).

An offer registers from its OfferConfig.ready(); registering the same thing again is a
no-op (ready() may run twice in tests), registering something else under a key already
taken is an error. Iteration keeps the order of registration."""

from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, name: str, *, key: Callable[[T], Hashable] | None = None):
        self.name = name
        self._key = key or (lambda item: item)
        self._items: dict[Hashable, T] = {}

    def register(self, item: T) -> T:
        key = self._key(item)
        known = self._items.get(key)
        if known is not None and known != item:
            raise ValueError(f"{self.name}: {key!r} is already registered.")
        self._items[key] = item
        return item

    def get(self, key: Hashable) -> T | None:
        return self._items.get(key)

    def __getitem__(self, key: Hashable) -> T:
        return self._items[key]

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self)}>"
