from tests.lga_cspc.factories import lga  # noqa: F401  (the fixture)
