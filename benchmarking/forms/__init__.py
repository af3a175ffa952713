from .framework import EntryChangeForm, EntryForm, ImportForm, LocalIndicatorForm

__all__ = ["EntryChangeForm", "EntryForm", "ImportForm", "LocalIndicatorForm"]
