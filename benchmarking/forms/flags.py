"""The answer to a flag: explained, set aside, or a line of enquiry, each with its text, and
for a line of enquiry the challenge it is for. The form only reads what was sent; the
service (services.flags.flag_answer) checks it and says what is wrong, by field. The page
renders it by hand (benchmarking/flag_answer.html): GOV.UK radios whose choices reveal
their own text box."""

from django import forms

from peerchallenge.forms import GDSForm
from peerchallenge.text_limits import MEDIUM

from ..models import FlagAnswer

Answer = FlagAnswer.Answer

# The radios: each answer's label, hint and text box, in order.
ANSWERS = (
    (Answer.EXPLAINED, "Explained", "You know what lies behind the figure.", "explained_text"),
    (
        Answer.SET_ASIDE,
        "Set aside",
        "It does not need looking at now, for a reason you give.",
        "set_aside_text",
    ),
    (
        Answer.ENQUIRY,
        "Use as a line of enquiry",
        "A draft key line of enquiry for your peers, with the figures quoted, on one of the "
        "council's challenges.",
        "enquiry_text",
    ),
)
# The service's name of the text -> the box it came from, by answer.
TEXT_FIELDS = {value: field for value, _label, _hint, field in ANSWERS}


class FlagAnswerForm(GDSForm):
    submit_label = "Save the answer"

    answer = forms.CharField(required=False, label="How do you answer this flag?")
    explained_text = forms.CharField(
        label="What explains the figure",
        required=False,
        max_length=MEDIUM,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    set_aside_text = forms.CharField(
        label="Why you are setting it aside",
        required=False,
        max_length=MEDIUM,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    enquiry_text = forms.CharField(
        label="Why it matters",
        help_text="What the peers should look at. The figures are quoted in the line of enquiry "
        "for you.",
        required=False,
        max_length=MEDIUM,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    target = forms.CharField(required=False, label="Which challenge is it for?")
    period = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, targets=(), has_line=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        self.has_line = has_line  # the flag's line of enquiry is made already

    @property
    def offers_enquiry(self) -> bool:
        return self.has_line or bool(self.targets)

    def options(self) -> list[dict]:
        """The answer radios as the page renders them: those on offer (a line of enquiry
        only when a challenge takes one), each with its text box and whether it is chosen."""
        chosen = self["answer"].value() or ""
        return [
            {
                "value": value,
                "label": label,
                "hint": hint,
                "text": self[field],
                "checked": chosen == value,
            }
            for value, label, hint, field in ANSWERS
            if value != Answer.ENQUIRY or self.offers_enquiry
        ]

    def target_options(self) -> list[dict]:
        chosen = self["target"].value() or ""
        return [
            {"value": target.key, "label": target.label, "checked": chosen == target.key}
            for target in self.targets
        ]

    def service_arguments(self) -> dict:
        answer = self.cleaned_data["answer"]
        field = TEXT_FIELDS.get(answer)
        return {
            "answer": answer,
            "text": self.cleaned_data[field] if field else "",
            "target": self.cleaned_data["target"] or None,
            "period": self.cleaned_data["period"],
        }
