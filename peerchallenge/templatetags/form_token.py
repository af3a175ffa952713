"""`{% csrf_token %}` with a one-time form token beside it (peerchallenge.form_tokens).

A template builtin (settings TEMPLATES "builtins"), loaded after Django's own, so this
`csrf_token` replaces Django's everywhere: in our templates, crispy-forms' and allauth's.
Every POST form already carries a CSRF token, so every POST form gets a form token, and
no GET form does."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

from ..form_tokens import FIELD_NAME, form_token_new

register = template.Library()


class CsrfAndFormTokenNode(CsrfTokenNode):
    def render(self, context):
        csrf = super().render(context)
        if not csrf:  # no request (an email, a PDF): no form to protect
            return csrf
        return csrf + format_html(
            '<input type="hidden" name="{}" value="{}">', FIELD_NAME, form_token_new()
        )


@register.tag
def csrf_token(parser, token):
    return CsrfAndFormTokenNode()
