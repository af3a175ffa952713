"""Production's static files: the front-end's module imports GOV.UK Frontend's bundle by its
hashed name (so both are cached for a year), and pages go out compressed."""

import gzip
import json
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def test_app_module_imports_the_hashed_bundle(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    bundle = manifest["dist/govuk/govuk-frontend.min.js"]
    assert re.fullmatch(r"dist/govuk/govuk-frontend\.min\.[0-9a-f]{12}\.js", bundle)
    module = (collected / manifest["js/app.mjs"]).read_text()
    imports = re.findall(r'from "([^"]+)"', module)
    assert imports == [f"../{bundle}"]
    assert 'govuk-frontend.min.js"' not in module


@pytest.mark.django_db
def test_pages_are_compressed_for_browsers_that_accept_it(client):
    client.force_login(UserFactory())
    plain = client.get(reverse("home"))
    packed = client.get(reverse("home"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert b"<html" in gzip.decompress(packed.content)
