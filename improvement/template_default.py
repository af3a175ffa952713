"""The self-evaluation template a cycle starts with, which the alliance then edits: for each
area of Ofsted's inspection of local authority children's services (ILACS), what the council
knows about the quality and impact of its practice, how it knows, and its plans for the next
12 months; then its strengths, areas for development, evidence, progress on last year's plan
and its data."""

from .models import TemplateSection

AREA_QUESTIONS = (
    "What do you know about the quality and impact of your practice here?\n"
    "How do you know it (audits, performance data, feedback from children, families and "
    "partners)?\n"
    "What are your plans for the next 12 months?"
)

AREAS = (
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
)

K = TemplateSection.Kind

# (title, guidance, kind)
DEFAULT_SECTIONS: tuple[tuple[str, str, str], ...] = (
    *((area, AREA_QUESTIONS, K.TEXT) for area in AREAS),
    (
        "Strengths",
        "Your strongest areas of practice, one a line: each may become an offer of support "
        "to other councils.",
        K.STRENGTHS,
    ),
    (
        "Areas for development",
        "What you most need to improve, one a line: each becomes a need the alliance's menu "
        "of support can answer.",
        K.AREAS,
    ),
    (
        "Evidence",
        "The evidence behind this self-evaluation: audits, inspection findings, performance "
        "reports. Attach documents below.",
        K.TEXT,
    ),
    (
        "Progress on last year's development plan",
        "What you set out to do last year, what you did, and the difference it made.",
        K.TEXT,
    ),
    (
        "Your data",
        "Your latest data pack's flags and your answers to them are shown here; add what the "
        "figures do not say.",
        K.DATA,
    ),
)
