"""The alliance admin gives the alliance's reports a logo: uploads a PNG (a text file named
.png is refused by the field), sees it, and removes it after confirming. axe on each page."""

from peerchallenge.models import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import AllianceFactory, MembershipFactory, UserFactory, region
from tests.peerchallenge.test_alliance_logo import png


def test_an_admin_uploads_and_removes_the_logo(new_page, site, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    alliance = AllianceFactory(
        name="East Midlands RIIA", slug="east-midlands", regions=[region("East Midlands")]
    )
    admin = UserFactory(email="ada@example.org", full_name="Ada Admin")
    MembershipFactory(alliance=alliance, user=admin, role=Role.ALLIANCE_ADMIN)

    page = new_page()
    sign_in(page, admin)
    page.goto("/a/east-midlands/")
    page.get_by_role("link", name="Logo for reports").click()
    page.get_by_role("heading", name="Logo for reports").wait_for()
    assert_accessible(page)

    page.get_by_label("Logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": b"not an image\n"}
    )
    page.get_by_role("button", name="Upload logo").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "must be a PNG or JPEG image" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    page.get_by_label("Logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": png()}
    )
    page.get_by_role("button", name="Upload logo").click()
    page.get_by_text("The logo was saved").wait_for()
    preview = page.get_by_role("img", name="The logo of East Midlands RIIA")
    assert preview.evaluate("img => img.naturalWidth") == 120  # served, and an image
    assert_accessible(page)

    page.get_by_role("link", name="Remove the logo").click()
    page.get_by_role("heading", name="Remove the logo from the alliance's reports?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, remove the logo").click()
    page.get_by_text("The logo was removed").wait_for()
    assert "The alliance has no logo" in page.locator("main").inner_text()
