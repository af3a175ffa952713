"""Writes for an alliance's logo, shown on the cover of its reports (reports.cover)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import AccessLog, Alliance
from ..uploads import MB, image_check
from .people import access_log_record

LOGO_MAX_BYTES = 1 * MB
# Enough for a crisp logo on a printed cover (60 mm wide at 300 dpi is 709 pixels), and a
# bound on what Pillow decodes and WeasyPrint embeds.
LOGO_MAX_SIDE = 2000
LOGO_MIN_SIDE = 16


def _logged(alliance: Alliance, user, ip_address, what: str) -> None:
    # Every report the alliance issues from now on carries the change: the access log
    # keeps who made it, beside who read what.
    access_log_record(
        alliance=alliance,
        user=user,
        action=AccessLog.Action.CHANGE,
        obj=alliance,
        ip_address=ip_address,
        description=f"The logo on {alliance.name}'s reports: {what}",
    )


@transaction.atomic
def alliance_logo_save(
    *, alliance: Alliance, upload, user=None, ip_address: str | None = None
) -> Alliance:
    """Check the upload (PNG or JPEG, at most 1 MB and 2,000 pixels a side; peerchallenge.
    uploads) and store it as the alliance's logo under a random name, replacing (and
    deleting) the one before, with a line in the access log. A refused file raises
    ValidationError on "file" and stores nothing."""
    try:
        image_check(
            upload, max_bytes=LOGO_MAX_BYTES, max_side=LOGO_MAX_SIDE, min_side=LOGO_MIN_SIDE
        )
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    old = alliance.report_logo.name
    alliance.report_logo.save("logo", upload, save=False)
    alliance.save(update_fields=["report_logo"])
    _logged(alliance, user, ip_address, "replaced" if old else "added")
    if old:
        storage = alliance.report_logo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return alliance


@transaction.atomic
def alliance_logo_remove(
    *, alliance: Alliance, user=None, ip_address: str | None = None
) -> Alliance:
    """Take the logo off the alliance's reports (later versions) and delete its file, with
    a line in the access log; nothing happens (and nothing is logged) without a logo."""
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    old = alliance.report_logo.name
    if old:
        storage = alliance.report_logo.storage
        alliance.report_logo = ""
        alliance.save(update_fields=["report_logo"])
        _logged(alliance, user, ip_address, "removed")
        transaction.on_commit(lambda: storage.delete(old))
    return alliance
