"""The form of a council's next steps after an event."""

from django import forms

from peerchallenge.form_fields import GovukDateField
from peerchallenge.text_limits import TextLimitedForm

ROWS = 5


class NextStepsForm(TextLimitedForm):
    """The 'next steps' template: notes, and up to five rows of what, owner and by when.
    Rendered by hand as a table; the service checks each filled row."""

    notes = forms.CharField(
        label="What your council took from the event (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, ROWS + 1):
            self.fields[f"what_{n}"] = forms.CharField(
                label=f"Next step {n}: what the council will do", required=False
            )
            self.fields[f"owner_{n}"] = forms.CharField(
                label=f"Next step {n}: owner", required=False, max_length=200
            )
            self.fields[f"due_{n}"] = GovukDateField(
                label=f"Next step {n}: by when",
                required=False,
                error_label=f"Next step {n}: the date",
            )

    def table(self):
        return [
            (n, self[f"what_{n}"], self[f"owner_{n}"], self[f"due_{n}"]) for n in range(1, ROWS + 1)
        ]

    def rows(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "what": data.get(f"what_{n}", ""),
                "owner": data.get(f"owner_{n}", ""),
                "due_date": data.get(f"due_{n}"),
            }
            for n in range(1, ROWS + 1)
        ]
