from importlib import import_module

from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    """The common framework: DfE's indicators and statistical neighbours, and (in later steps
    of docs/plan-benchmarking.md) each alliance's framework, returns, data packs and flags.
    A plain app until it has permissions and obligations to declare through the offer
    contract."""

    name = "benchmarking"
    verbose_name = "Benchmarking"

    def seed_demo(self, *, stdout):
        import_module(f"{self.name}.demo").seed(stdout=stdout)
