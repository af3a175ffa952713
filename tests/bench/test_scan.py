"""bench/scan.py: the daily reminder scan timed at scale, on a small seed here."""

from bench.scan import run_scan
from tests.bench.test_seed_board import seed


def test_the_scan_bench_times_the_day_then_nothing_to_send_and_rolls_back(db, capsys):
    from peerchallenge.models import OutboundEmail, ReminderLog, ReminderScan

    seed(actions=459)
    run_scan()
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    rows = [line for line in lines if line.startswith("| ") and "---" not in line][1:]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    assert [row[0] for row in cells] == [
        "the day's scan",
        "the same day again (nothing to send)",
        "the next day",
    ]
    day, again, _next = (int(row[2]) for row in cells)
    assert day > 0 and again == 0  # exactly once
    assert lines[-1].startswith("emails in the outbox: ")
    emails, keys = (int(part.split(":")[1].split()[0]) for part in lines[-1].split(", "))
    assert emails == keys > 0
    # Rolled back: the database is as it was.
    assert not OutboundEmail.objects.exists() and not ReminderLog.objects.exists()
    assert not ReminderScan.objects.exists()
