from .cycle import (
    BoardView,
    CycleOpenView,
    CycleView,
    DeadlinesView,
    SectionAddView,
    SectionChangeView,
    SectionRemoveView,
    TemplateSectionsView,
)
from .self_evaluation import ReturnView, SectionEditView, SelfEvaluationView, SubmitView

__all__ = [
    "BoardView",
    "CycleOpenView",
    "CycleView",
    "DeadlinesView",
    "ReturnView",
    "SectionAddView",
    "SectionChangeView",
    "SectionEditView",
    "SectionRemoveView",
    "SelfEvaluationView",
    "SubmitView",
    "TemplateSectionsView",
]
