"""bench/soak.py (`make soak`): its accounting of lost writes, stale reads and recovery, and a
very short run on services of its own, so the harness keeps working."""

import json
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "soak.py"


@pytest.fixture(scope="module")
def soak():
    return SimpleNamespace(**runpy.run_path(str(SCRIPT)))


def acked(soak, record, field, marker, version, at):
    return soak.Write(record, field, marker, False, acked_version=version, acked_at=at)


def test_an_acknowledged_write_a_later_save_of_another_field_undid_is_lost(soak):
    summary = acked(soak, 1, "summary", "A", version=5, at=1.0)
    notes = acked(soak, 1, "notes", "B", version=6, at=1.1)
    history = {
        1: [
            (4, {"summary": "old", "notes": ""}),
            (5, {"summary": "A", "notes": ""}),
            (6, {"summary": "old", "notes": "B"}),  # saved whole, from a stale read
            (6, {"summary": "old", "notes": "B"}),  # the current row
        ]
    }
    assert soak.lost_writes([summary, notes], history) == [summary]


def test_a_write_overwritten_by_a_later_one_is_not_lost(soak):
    first = acked(soak, 1, "summary", "A", version=5, at=1.0)
    second = acked(soak, 1, "summary", "B", version=6, at=1.1)
    unanswered = soak.Write(1, "summary", "C", False)  # its answer never came
    history = {
        1: [
            (5, {"summary": "A", "notes": ""}),
            (6, {"summary": "B", "notes": ""}),
            (7, {"summary": "C", "notes": ""}),
        ]
    }
    assert soak.lost_writes([first, second, unanswered], history) == []


def test_a_write_acknowledged_but_never_stored_is_lost(soak):
    write = acked(soak, 1, "summary", "A", version=5, at=1.0)
    assert soak.lost_writes([write], {1: [(5, {"summary": "old", "notes": ""})]}) == [write]
    assert soak.lost_writes([write], {}) == [write]


def test_a_read_older_than_an_acknowledged_write_is_stale(soak):
    writes = [acked(soak, 1, "summary", "A", version=5, at=10.0)]
    before = soak.Read(1, started=9.0, version=4)  # started before the answer: fine
    after = soak.Read(1, started=11.0, version=4)
    fresh = soak.Read(1, started=11.0, version=5)
    other = soak.Read(2, started=11.0, version=1)
    assert soak.stale_reads(writes, [before, after, fresh, other]) == [after]


def test_recovery_is_the_start_of_the_first_unbroken_run_of_successes(soak):
    def request(started, ok):
        return soak.Request("page", "/", started, started + 0.01, 200 if ok else 500, ok)

    requests = [request(9.0, False), request(10.5, False), request(11.0, True)]
    requests += [request(11.5, False)] + [request(12 + i / 100, True) for i in range(100)]
    assert soak.recovery_seconds(requests, fault_end=10.0) == pytest.approx(2.0)
    assert soak.recovery_seconds(requests[:4], fault_end=10.0) is None  # failing at the end
    # Fewer than 100 requests left in the phase, all of them successes: recovered.
    assert soak.recovery_seconds(requests[:14], fault_end=10.0) == pytest.approx(2.0)


needs_services = pytest.mark.skipif(
    not (list(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and shutil.which("redis-server")),
    reason="needs PostgreSQL's server binaries and redis-server",
)


def listening(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def started_services(line):
    """The temporary directory and ports the soak's first line names."""
    match = re.search(r"in (\S+): PostgreSQL :(\d+), Redis :(\d+), site :(\d+)", line)
    return Path(match.group(1)), [int(port) for port in match.groups()[1:]]


@needs_services
def test_a_short_soak_reports_every_figure_and_leaves_nothing_behind(tmp_path):
    output = tmp_path / "soak.json"
    done = subprocess.run(
        # More writes than the default share, so a few are acknowledged even on a busy
        # machine's few seconds.
        [sys.executable, str(SCRIPT), "--duration", "4", "--phases", "plain", "--connections",
         "4", "--workers", "2", "--write-share", "0.3", "--output", str(output)],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    directory, ports = started_services(done.stdout)
    assert 5432 not in ports and 6379 not in ports
    assert not directory.exists()
    assert not any(listening(port) for port in ports)

    (plain,) = json.loads(output.read_text())["phases"]
    assert plain["phase"] == "plain"
    assert plain["requests"] > 10
    assert plain["writes_acknowledged"] > 0  # its token wrote, and the answers were read
    figures = ["errors_by_status", "p50_ms", "p95_ms", "p99_ms", "writes_lost", "stale_reads",
               "api_errors_not_json", "gets_retried_on_new_connection"]  # fmt: skip
    assert all(figure in plain for figure in figures)
    assert len(plain["failures"]) == min(plain["errors"], 50)  # each failure, with its time
    table = done.stdout.split("\nphase ", 1)[1]
    assert "acked" in table and "plain " in table


@needs_services
def test_ctrl_c_stops_what_the_soak_started(tmp_path):
    soak = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--duration", "3", "--phases", "plain",
         "--output", str(tmp_path / "soak.json")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        directory, ports = started_services(soak.stdout.readline())
        assert "Migrating" in soak.stdout.readline()  # PostgreSQL and Redis are up
        assert listening(ports[0]) and listening(ports[1])
        soak.send_signal(signal.SIGINT)
        assert soak.wait(timeout=60) == 130
    finally:
        if soak.poll() is None:
            soak.kill()
    time.sleep(0.5)
    assert not directory.exists()
    assert not any(listening(port) for port in ports)
    assert not (tmp_path / "soak.json").exists()
