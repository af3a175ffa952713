"""Email reminders: the log of every send (for the planners) and each kind's settings."""

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Layout, Size
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from ..forms import GDSForm
from ..reminders import (
    KINDS,
    MAX_DAYS,
    reminder_log_of,
    reminder_settings_of,
    reminder_settings_save,
)
from .mixins import AlliancePermissionMixin

LOG_PAGE_SIZE = 50


class ReminderLogView(AlliancePermissionMixin, TemplateView):
    permission_required = "peerchallenge.view_reminders"
    template_name = "peerchallenge/reminder_log.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(reminder_log_of(alliance=self.alliance), LOG_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        for log in page.object_list:
            kind = KINDS.get(log.kind)
            log.kind_label = kind.label if kind else log.kind
        context.update(
            page=page,
            can_manage=self.request.user.has_perm("peerchallenge.manage_reminders", self.alliance),
        )
        return context


class ReminderSettingsForm(GDSForm):
    """Per kind: how many days before (or after) the due date, and whether to send it."""

    submit_label = "Save reminder settings"

    def __init__(self, *args, kind_settings, **kwargs):
        super().__init__(*args, **kwargs)
        fieldsets = []
        for setting in kind_settings:
            kind = setting.kind
            direction = "after" if kind.after_due else "before"
            self.fields[f"{kind.key}_days"] = forms.IntegerField(
                label=f"Days {direction} the due date",
                initial=setting.days,
                min_value=0,
                max_value=MAX_DAYS,
                error_messages={
                    "required": f"Enter the number of days {direction} the due date.",
                    "invalid": "Enter the number of days as a whole number, like 7.",
                    "min_value": f"Enter a number of days from 0 to {MAX_DAYS}.",
                    "max_value": f"Enter a number of days from 0 to {MAX_DAYS}.",
                },
            )
            self.fields[f"{kind.key}_enabled"] = forms.BooleanField(
                label="Send this reminder", required=False, initial=setting.enabled
            )
            fieldsets.append(
                Fieldset(
                    Field.text(f"{kind.key}_days", field_width=Fixed.THREE),
                    Field.checkbox(f"{kind.key}_enabled", small=True),
                    legend=kind.label,
                    legend_size=Size.MEDIUM,
                )
            )
            self.fields[f"{kind.key}_days"].help_text = kind.description
        self.kinds = [setting.kind for setting in kind_settings]
        self.helper.layout = Layout(*fieldsets)

    def values(self) -> dict[str, tuple[int, bool]]:
        data = self.cleaned_data
        return {k.key: (data[f"{k.key}_days"], data[f"{k.key}_enabled"]) for k in self.kinds}


class ReminderSettingsView(AlliancePermissionMixin, FormView):
    permission_required = "peerchallenge.manage_reminders"
    template_name = "peerchallenge/reminder_settings.html"
    form_class = ReminderSettingsForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kind_settings"] = reminder_settings_of(alliance=self.alliance)
        return kwargs

    def form_valid(self, form):
        try:
            reminder_settings_save(alliance=self.alliance, values=form.values())
        except ValidationError as error:
            for key, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(f"{key}_days" if key in KINDS else None, message)
            return self.form_invalid(form)
        messages.success(self.request, "Reminder settings saved.")
        return redirect("reminder_settings", alliance=self.alliance.slug)
