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
from .plan import (
    PlanSubmitView,
    PlanView,
    PriorityAddView,
    PriorityChangeView,
    PriorityRemoveView,
)
from .scrutiny import (
    CommentEditView,
    ModerationView,
    ReplyView,
    ScrutinyAddView,
    ScrutinyAssignView,
    ScrutinyRemoveView,
    ScrutinyView,
)
from .self_evaluation import ReturnView, SectionEditView, SelfEvaluationView, SubmitView

__all__ = [
    "BoardView",
    "CommentEditView",
    "CycleOpenView",
    "CycleView",
    "DeadlinesView",
    "ModerationView",
    "PlanSubmitView",
    "PlanView",
    "PriorityAddView",
    "PriorityChangeView",
    "PriorityRemoveView",
    "ReplyView",
    "ReturnView",
    "ScrutinyAddView",
    "ScrutinyAssignView",
    "ScrutinyRemoveView",
    "ScrutinyView",
    "SectionAddView",
    "SectionChangeView",
    "SectionEditView",
    "SectionRemoveView",
    "SelfEvaluationView",
    "SubmitView",
    "TemplateSectionsView",
]
