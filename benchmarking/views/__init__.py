from .flags import FlagAnswerView
from .framework import (
    EntryAddView,
    EntryChangeView,
    EntryRemoveView,
    FrameworkStartView,
    FrameworkView,
    LocalIndicatorAddView,
)
from .grid import GridExportView, GridView
from .imports import ImportCancelView, ImportConfirmView, ImportDetailView, ImportListView
from .pack import DataPackView

__all__ = [
    "DataPackView",
    "EntryAddView",
    "EntryChangeView",
    "EntryRemoveView",
    "FlagAnswerView",
    "FrameworkStartView",
    "FrameworkView",
    "GridExportView",
    "GridView",
    "ImportCancelView",
    "ImportConfirmView",
    "ImportDetailView",
    "ImportListView",
    "LocalIndicatorAddView",
]
