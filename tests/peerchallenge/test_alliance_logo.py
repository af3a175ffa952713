"""An alliance's logo for its reports: its admins upload, replace or remove it (PNG or JPEG,
size and dimensions checked, refusals by the field); its members see the preview. The PDF
cover embeds it: tests/reports/test_cover.py."""

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled
from PIL import Image

from peerchallenge.models import AccessLog


def png(width=120, height=60) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 94, 165)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Logos go to a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


def logo_url(world, alliance=None) -> str:
    return reverse("alliance_logo", kwargs={"alliance": (alliance or world.em).slug})


def upload(client, world, name, content, content_type="image/png"):
    return client.post(
        logo_url(world), {"file": SimpleUploadedFile(name, content, content_type=content_type)}
    )


def field_error(response) -> str:
    """The error message by the file field (GOV.UK: inside the field's group, before it)."""
    match = re.search(
        r'id="id_file(?:_\d+)?_error" class="govuk-error-message">(.*?)</span>\s*<input',
        response.text,
        re.S,
    )
    assert match, "no error message by the field"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_the_admin_uploads_a_png_and_members_see_it(client, world):
    client.force_login(world.admin)
    response = upload(client, world, "logo.png", png())
    assert (response.status_code, response["Location"]) == (302, logo_url(world))
    world.em.refresh_from_db()
    assert world.em.report_logo.name.startswith(f"logos/{world.em.pk}/")
    page = client.get(logo_url(world))
    assert "The logo now" in page.text and "Remove the logo" in page.text
    # Any member sees the preview; its bytes are the upload's.
    client.force_login(world.dcs)
    image = client.get(reverse("alliance_logo_image", kwargs={"alliance": world.em.slug}))
    assert (image.status_code, image["Content-Type"], image.content) == (200, "image/png", png())
    assert image["Cache-Control"] == "private, no-store"


def test_a_replaced_logo_s_file_is_deleted_and_a_removed_one_too(
    client, world, storage, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, world, "logo.png", png())
        upload(client, world, "logo2.png", png(200, 100))
    assert len(list((storage / "logos" / str(world.em.pk)).iterdir())) == 1
    remove = reverse("alliance_logo_remove", kwargs={"alliance": world.em.slug})
    # Removing asks first: a POST without the confirmation shows the question, removes nothing.
    assert "Yes, remove the logo" in client.get(remove).text
    assert client.post(remove).status_code == 200
    world.em.refresh_from_db()
    assert world.em.report_logo.name != ""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, {"confirm": "yes"})
    assert response.status_code == 302
    world.em.refresh_from_db()
    assert world.em.report_logo.name == ""
    assert list((storage / "logos" / str(world.em.pk)).iterdir()) == []
    # Each change is in the alliance's access log, with who made it; the refused removal
    # (no confirmation) is not.
    with scopes_disabled():
        lines = list(
            AccessLog.objects.filter(alliance=world.em)
            .order_by("at", "pk")
            .values_list("user", "action", "object_repr")
        )
    what = "The logo on East Midlands RIIA's reports: "
    assert lines == [
        (world.admin.pk, "change", what + "added"),
        (world.admin.pk, "change", what + "replaced"),
        (world.admin.pk, "change", what + "removed"),
    ]
    page = client.get(reverse("access_log", kwargs={"alliance": world.em.slug}))
    assert "Changed" in page.text and what + "removed" in unescape(page.text)


def test_a_text_file_named_png_is_refused_by_the_field(client, world):
    client.force_login(world.admin)
    response = upload(client, world, "logo.png", b"not an image at all\n")
    assert response.status_code == 200
    assert field_error(response) == "Error: The selected file must be a PNG or JPEG image"
    assert response.text.count("The selected file must be a PNG or JPEG image") == 2  # + summary
    world.em.refresh_from_db()
    assert world.em.report_logo.name == ""


def test_an_oversized_file_is_refused(client, world):
    client.force_login(world.admin)
    response = upload(client, world, "logo.png", png()[:8] + b"\0" * (1024 * 1024 + 1))
    assert field_error(response) == "Error: The selected file must be smaller than 1 MB"


def test_an_image_too_large_in_pixels_is_refused(client, world):
    client.force_login(world.admin)
    response = upload(client, world, "logo.png", png(2400, 100))
    assert field_error(response) == (
        "Error: The selected image must be at most 2000 pixels wide and high"
    )


def test_a_member_who_is_not_an_admin_gets_403_and_no_link(client, world):
    client.force_login(world.pm)
    assert client.get(logo_url(world)).status_code == 403
    assert upload(client, world, "logo.png", png()).status_code == 403
    detail = client.get(reverse("alliance_detail", kwargs={"alliance": world.em.slug}))
    assert "Logo for reports" not in detail.text
    client.force_login(world.admin)
    detail = client.get(reverse("alliance_detail", kwargs={"alliance": world.em.slug}))
    assert "Logo for reports" in detail.text


def test_another_alliance_s_admin_gets_404(client, world):
    client.force_login(world.outsider)
    assert client.get(logo_url(world)).status_code == 404
    assert upload(client, world, "logo.png", png()).status_code == 404
    image = reverse("alliance_logo_image", kwargs={"alliance": world.em.slug})
    assert client.get(image).status_code == 404
