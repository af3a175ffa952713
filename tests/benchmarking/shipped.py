"""The shipped DfE extract as the tests read it, without a database: the 153 councils'
DfE codes (from the core's own council list), the indicator catalogue, and a file's text."""

import csv
from pathlib import Path

from benchmarking.dfe_files import DFE_DIRECTORY, decode, read_catalogue

COUNCILS_CSV = Path(__file__).resolve().parents[2] / "peerchallenge" / "data" / "english_las.csv"
COUNCILS = {row["dfe_la_code"] for row in csv.DictReader(COUNCILS_CSV.open(encoding="utf-8"))}
CATALOGUE = read_catalogue((DFE_DIRECTORY / "indicators.csv").read_text(encoding="utf-8-sig"))


def shipped(name: str) -> str:
    return decode((DFE_DIRECTORY / name).read_bytes())
