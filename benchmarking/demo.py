"""Demo data: the real DfE extract shipped with the app (the figures are published
statistics, not invented)."""

from .models import ATTRIBUTION
from .services import dfe_directory_load


def seed(*, stdout) -> None:
    result = dfe_directory_load()
    stdout.write(
        f"DfE statistics: {result.added} figures added, {result.revised} revised, "
        f"{result.unchanged} unchanged. {ATTRIBUTION}"
    )
