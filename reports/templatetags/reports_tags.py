"""Template questions about report versions; the answers live in reports.permissions."""

from django import template
from django.utils.safestring import mark_safe

from ..permissions import may_retry

register = template.Library()


@register.filter
def may_retry_report(version, user) -> bool:
    """{% if version|may_retry_report:request.user %}: show the "Try again" button."""
    return may_retry(user, version)


@register.filter
def css_string(value) -> str:
    """A quoted CSS string for report templates' <style> (an alliance's name in a page
    margin): quotes, backslashes, new lines and "<" escaped, so no text can end the string
    or the style element."""
    text = str(value)
    for character in ("\\", '"', "\n", "\r", "<"):
        text = text.replace(character, f"\\{ord(character):x} ")
    return mark_safe(f'"{text}"')  # noqa: S308 - escaped above for a CSS string


# A rating is read from its word and its symbol's shape, never from a colour alone (a
# printout in black and white, a reader who does not see colour, a screen reader).
RAG = {
    "green": ("\N{BLACK CIRCLE}", "Green"),
    "amber": ("\N{BLACK UP-POINTING TRIANGLE}", "Amber"),
    "red": ("\N{BLACK SQUARE}", "Red"),
    "complete": ("\N{CHECK MARK}", "Complete"),
    # A case's overall quality of practice (lga_cspc CaseFile.Quality), the same shapes.
    "strong": ("\N{BLACK CIRCLE}", ""),
    "mixed": ("\N{BLACK UP-POINTING TRIANGLE}", ""),
    "weak": ("\N{BLACK SQUARE}", ""),
}


@register.filter
def rag(value, label="") -> str:
    """A RAG rating as plain text: its symbol, its colour's word and its label, e.g.
    "● Green: On track" ({{ action.status|rag:action.get_status_display }})."""
    symbol, word = RAG.get(str(value), ("", ""))
    label = str(label)
    if word and label and label != word:
        return f"{symbol} {word}: {label}".strip()
    return f"{symbol} {word or label}".strip()
