"""The shared test of a long form two people can edit (peerchallenge.concurrency).

`two_people_edit` plays the lost-update story through the pages: A opens the form, B opens
it and saves, A saves the form filled from the version before B's. A must get the form
again (200) with the GOV.UK error summary saying someone else saved it, B's text shown
read-only beside A's own text kept in the field, and B's text still saved; then A, having
seen both, saves again with the page's fresh form token and new version, and that wins.

Every POST sends the hidden inputs of the form on the page it came from (its one-time
form token and base version), as a browser would."""

import re
from collections.abc import Callable

from django.utils.html import escape

from peerchallenge.concurrency import CONFLICT_MESSAGE

_FORM = re.compile(r"<form\b.*?</form>", re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def hidden_inputs(page: str) -> dict[str, str]:
    """The hidden inputs of the page's form that carries a base version."""
    forms = [form for form in _FORM.findall(page) if 'base_version"' in form]
    assert len(forms) == 1, "expected one versioned form on the page"
    return dict(_HIDDEN.findall(forms[0]))


def two_people_edit(
    client,
    url: str,
    *,
    first,
    second,
    mine: dict,
    theirs: dict,
    my_text: str,
    their_text: str,
    saved: Callable[[], str],
) -> str:
    """`first` and `second` open the form at `url`; `second` saves `theirs`, then `first`
    saves `mine`. `my_text` and `their_text` are the whole value of one text area in each
    (one line: the other version is shown with line breaks); `saved()` reads the saved
    texts. Returns the conflict page."""
    client.force_login(first)
    my_form = hidden_inputs(client.get(url).content.decode())
    client.force_login(second)
    their_form = hidden_inputs(client.get(url).content.decode())
    response = client.post(url, {**theirs, **their_form})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert their_text in saved()

    client.force_login(first)
    response = client.post(url, {**mine, **my_form})
    page = response.content.decode()
    assert response.status_code == 200
    summary = page[page.index('class="govuk-error-summary"') :]
    assert CONFLICT_MESSAGE in summary[: summary.index("</ul>")]
    assert "Their saved version" in page
    theirs_shown = page[page.index('id="their-version"') :]
    assert escape(their_text) in theirs_shown[: theirs_shown.index("</section>")]
    assert f"{escape(my_text)}</textarea>" in page  # mine, kept in the field
    assert their_text in saved() and my_text not in saved()

    # Having seen both, saving again is deliberate: the page has a fresh token and version.
    again_form = hidden_inputs(page)
    assert again_form["form_token"] != my_form["form_token"]
    version = next(name for name in again_form if name.endswith("base_version"))
    assert again_form[version] != my_form[version]
    response = client.post(url, {**mine, **again_form})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert my_text in saved()
    return page
