from .flags import FlagAnswerForm
from .framework import EntryChangeForm, EntryForm, ImportForm, LocalIndicatorForm

__all__ = ["EntryChangeForm", "EntryForm", "FlagAnswerForm", "ImportForm", "LocalIndicatorForm"]
