"""The catalogue of what a CSPC can look at (from the LGA's guidance manual, section 2): the
three core elements every challenge covers and the thematic modules a council may add, each
with the lines of enquiry (probes) it starts with. Scoping copies the probes onto the
challenge, where the programme manager edits them; changing this file changes only
challenges scoped afterwards."""

from dataclasses import dataclass

# "Typically two additional areas are chosen" — more than four cannot be covered in the
# on-site days.
TYPICAL_MODULES = 2
MAX_MODULES = 4
# More probes than this for one element is no longer a focused line of enquiry.
MAX_PROBES = 20


@dataclass(frozen=True)
class Element:
    key: str  # stable form-field key; never reuse one for another element
    name: str  # stored on ScopeElement.name and KeyLineOfEnquiry.title
    default_probes: tuple[str, ...]


CORE_ELEMENTS: tuple[Element, ...] = (
    Element(
        "core_leadership",
        "Leadership and management, including vision and strategy",
        (
            "How well do leaders communicate a shared vision and strategy for children's "
            "services, and how do staff and partners know it?",
            "How do senior leaders and elected members know about the quality of practice "
            "and the experiences of children and families?",
            "How effective is political and corporate support for children's services?",
        ),
    ),
    Element(
        "core_practice",
        "Effective practice and impact on outcomes for children and families",
        (
            "How well does practice identify and reduce risk and improve outcomes for "
            "children and families?",
            "How are the voices of children and families heard and acted upon?",
            "How consistently is good practice understood, shared and embedded across teams?",
        ),
    ),
    Element(
        "core_resources",
        "Resources and capacity",
        (
            "Are leaders creating the right environment for good social work practice?",
            "How stable and sufficient is the workforce, and how well are caseloads managed?",
            "How well are resources aligned with the council's priorities for children?",
        ),
    ),
)

MODULES: tuple[Element, ...] = (
    Element(
        "partnerships",
        "Impact and effectiveness of partnerships",
        (
            "How well do partners share responsibility for keeping children safe?",
            "What difference do partnership arrangements make to outcomes for children?",
        ),
    ),
    Element(
        "demand",
        "Demand management",
        (
            "How well does the council understand the drivers of demand for its services?",
            "How effective are strategies to manage demand safely, and how is their impact "
            "measured?",
        ),
    ),
    Element(
        "corporate",
        "Corporate leadership and capacity for children's services",
        (
            "How well does the wider council support and challenge children's services?",
            "How are corporate resources and priorities aligned with children's needs?",
        ),
    ),
    Element(
        "early_help",
        "Early help",
        (
            "How well are children and families identified and offered help at the earliest "
            "opportunity?",
            "How effective are step-up and step-down arrangements with children's social care?",
        ),
    ),
    Element(
        "front_door",
        "Front door",
        (
            "How timely and proportionate are decisions at the front door?",
            "How well do partners understand and apply thresholds?",
        ),
    ),
    Element(
        "cin",
        "Child in need",
        (
            "How well do child in need plans reduce need and lead to sustained change?",
            "How is drift and delay identified and addressed for children in need?",
        ),
    ),
    Element(
        "cp",
        "Child protection",
        (
            "How well do child protection plans reduce risk for children?",
            "How effective are strategy discussions and multi-agency child protection conferences?",
        ),
    ),
    Element(
        "disabilities",
        "Children with disabilities",
        (
            "How well are the needs of disabled children and their families assessed and met?",
            "How well are safeguarding concerns for disabled children recognised and acted upon?",
        ),
    ),
    Element(
        "cla",
        "Sufficiency and outcomes for children looked after",
        (
            "How well does the sufficiency strategy secure the right homes for children "
            "looked after?",
            "How well do plans for children looked after improve their outcomes and "
            "achieve permanence?",
        ),
    ),
    Element(
        "care_leavers",
        "Care leavers",
        (
            "How well are care leavers supported into education, employment, training and "
            "suitable accommodation?",
            "How well does the council act as a corporate parent to its care leavers?",
        ),
    ),
    Element(
        "qa",
        "Quality assurance and performance management",
        (
            "How well does the quality assurance framework improve practice?",
            "How are performance information and audit findings used by leaders and managers?",
        ),
    ),
    Element(
        "vulnerabilities",
        "Specific vulnerabilities or risks, e.g. child sexual exploitation or domestic abuse",
        (
            "How well are children at risk of exploitation or affected by domestic abuse "
            "identified?",
            "How effective is the multi-agency response in reducing these risks?",
        ),
    ),
)

CORE_NAMES: tuple[str, ...] = tuple(element.name for element in CORE_ELEMENTS)
MODULE_NAMES: tuple[str, ...] = tuple(element.name for element in MODULES)
BY_NAME: dict[str, Element] = {element.name: element for element in CORE_ELEMENTS + MODULES}
BY_KEY: dict[str, Element] = {element.key: element for element in CORE_ELEMENTS + MODULES}


def probes_from_text(text: str) -> list[str]:
    """One probe a line; blank lines and surrounding spaces are dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def field_key(name: str) -> str:
    """The form field holding an element's probes: `probes_<catalogue key>` (or a key made
    from the name for an element no longer in the catalogue)."""
    element = BY_NAME.get(name)
    if element is not None:
        return f"probes_{element.key}"
    return "probes_x_" + "".join(c if c.isalnum() else "_" for c in name.lower())[:60]
