from tests.ondemand.factories import od  # noqa: F401  (the fixture)
