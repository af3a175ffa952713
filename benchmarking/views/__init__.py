from .framework import (
    EntryAddView,
    EntryChangeView,
    EntryRemoveView,
    FrameworkStartView,
    FrameworkView,
    LocalIndicatorAddView,
)
from .imports import ImportCancelView, ImportConfirmView, ImportDetailView, ImportListView
from .pack import DataPackView

__all__ = [
    "DataPackView",
    "EntryAddView",
    "EntryChangeView",
    "EntryRemoveView",
    "FrameworkStartView",
    "FrameworkView",
    "ImportCancelView",
    "ImportConfirmView",
    "ImportDetailView",
    "ImportListView",
    "LocalIndicatorAddView",
]
