"""Template questions about report versions; the answers live in reports.permissions."""

from django import template

from ..permissions import may_retry

register = template.Library()


@register.filter
def may_retry_report(version, user) -> bool:
    """{% if version|may_retry_report:request.user %}: show the "Try again" button."""
    return may_retry(user, version)
