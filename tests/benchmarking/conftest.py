from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def loaded(db) -> str:
    """The shipped DfE extract loaded (`load_dfe`); what the command printed."""
    out = StringIO()
    call_command("load_dfe", stdout=out)
    return out.getvalue()
