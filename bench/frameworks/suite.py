"""Versus's own framework benchmarks: the same six TechEmpower-style tests served by each
framework's app in `bench/frameworks/<slug>/`, on PostgreSQL.

    python bench/frameworks/suite.py smoke            # each app answers each test by the rules
    python bench/frameworks/suite.py run [--rounds 3 --duration 10 --connections 32]

`run` pins every app's server to core 0 with the same number of workers and wrk to core 1,
interleaves rounds across frameworks (a drifting machine moves all of them alike), and writes
one JSON file with the medians, their ranges and the whole context (machine, software,
settings, date, commit). `smoke` is what `make test` runs (tests/bench/test_framework_apps.py).

Each app lives in its own virtualenv (`.venv` in its folder), built from its own pinned
`requirements.txt`; its `servers.json` says how its documentation's production server(s)
start it. The database (BENCH_DATABASE_URL, default: a `versus_fwbench` database on the
local PostgreSQL) is created and filled here; apps only read and update it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import html
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TESTS = ("plaintext", "json", "db", "queries", "fortunes", "updates")
PATHS = {
    "plaintext": "/plaintext",
    "json": "/json",
    "db": "/db",
    "queries": "/queries?queries=20",
    "fortunes": "/fortunes",
    "updates": "/updates?queries=20",
}
WORLD_ROWS = 10_000
# Our own fortunes: one that must be escaped, one in Japanese, the rest plain.
FORTUNES = [
    "A test is only as honest as its rules.",
    "Measure twice, publish once.",
    '<script>alert("This should not be displayed in a browser alert box.");</script>',
    "Caches hide sins; benchmarks find them.",
    "フレームワークのベンチマーク",
    "Every figure keeps its context.",
    "The median is kinder than the mean.",
    "Two cores, one for the server and one for the load.",
    "Drift lands on everyone when rounds interleave.",
    "Escaping is not optional.",
    "A & B < C > D",
    "Nobody reads the footnotes until they matter.",
]
ADDED_FORTUNE = "Additional fortune added at request time."


def default_database_url():
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/versus_fwbench")


# --- the apps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    framework: str
    name: str
    command: list[str]

    @property
    def label(self):
        return f"{self.framework} ({self.name})"


def apps():
    """Every framework folder with a servers.json, in name order."""
    return sorted(path for path in HERE.iterdir() if (path / "servers.json").is_file())


def servers(folder: Path) -> list[Server]:
    data = json.loads((folder / "servers.json").read_text())
    return [Server(folder.name, s["name"], list(s["command"])) for s in data["servers"]]


def interpreter(minimum: str | None) -> str:
    """A Python at least `minimum` ("3.12"): this one if it is, else the first `python3.N`
    on PATH that is (Django 6.1, for one, needs 3.12; the site itself runs on 3.11)."""
    wanted = tuple(int(part) for part in (minimum or "3").split("."))
    if sys.version_info[: len(wanted)] >= wanted:
        return sys.executable
    for minor in range(wanted[1] if len(wanted) > 1 else 0, 20):
        name = f"python{wanted[0]}.{minor}"
        # On PATH (a pyenv shim answers only for a selected version), or installed by pyenv.
        for found in [
            shutil.which(name),
            *sorted(Path.home().glob(f".pyenv/versions/{wanted[0]}.{minor}.*/bin/{name}")),
        ]:
            if found and subprocess.run([found, "-c", "pass"], capture_output=True).returncode == 0:
                return str(found)
    raise RuntimeError(f"this app needs Python {minimum} or newer, and none is on PATH")


def venv_for(folder: Path) -> Path:
    """The app's own virtualenv, on the Python its servers.json asks for (default: this
    one), (re)built when its requirements changed."""
    venv = folder / ".venv"
    requirements = folder / "requirements.txt"
    stamp = venv / ".requirements-sha256"
    minimum = json.loads((folder / "servers.json").read_text()).get("python")
    wanted = hashlib.sha256(requirements.read_bytes() + str(minimum).encode()).hexdigest()
    if not stamp.is_file() or stamp.read_text() != wanted:
        if venv.exists():
            shutil.rmtree(venv)
        subprocess.run([interpreter(minimum), "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
               "--disable-pip-version-check"]  # fmt: skip
        subprocess.run([*pip, "-r", str(requirements)], check=True)
        stamp.write_text(wanted)
    return venv


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(server: Server, *, database_url, workers=1, core=None):
    """Start the server, wait until it answers, yield its base URL, stop it."""
    folder = HERE / server.framework
    venv = venv_for(folder)
    port = free_port()
    command = [part.format(port=port, workers=workers) for part in server.command]
    if core is not None and shutil.which("taskset"):
        command = ["taskset", "-c", str(core), *command]
    env = {**os.environ, "BENCH_DATABASE_URL": database_url,
           "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "VIRTUAL_ENV": str(venv), "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)  # Versus's own, when run from its tests
    log = open(folder / ".server.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=log,
                               start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{server.label} exited at start:\n"
                    + (folder / ".server.log").read_text(errors="replace")[-2000:]
                )
            try:
                urllib.request.urlopen(base + "/plaintext", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{server.label} did not answer in 60 s") from None
                time.sleep(0.25)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()
        log.close()


# --- the database -----------------------------------------------------------------------


def prepare_database(database_url):
    """Create the database if missing and (re)fill its two tables."""
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("select 1 from pg_database where datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'create database "{name}"')
    rng = random.Random(2026)
    with psycopg.connect(database_url) as connection:
        connection.execute("drop table if exists world, fortune")
        connection.execute(
            "create table world (id integer primary key, randomnumber integer not null)"
        )
        connection.execute(
            "create table fortune (id integer primary key, message varchar(2048) not null)"
        )
        with connection.cursor().copy("copy world (id, randomnumber) from stdin") as copy:
            for pk in range(1, WORLD_ROWS + 1):
                copy.write_row((pk, rng.randint(1, 10_000)))
        connection.cursor().executemany(
            "insert into fortune (id, message) values (%s, %s)",
            list(enumerate(FORTUNES, start=1)),
        )
        connection.execute("analyze world")
        connection.execute("analyze fortune")


class QueryCounter:
    """A PostgreSQL wire-protocol relay that counts the statements the apps send: each
    simple query, and each Execute of the extended protocol (named by the statement its
    portal was bound to). It refuses TLS (the client then speaks in the clear, as
    `sslmode=prefer` allows), so the relay can read the messages it passes on."""

    def __init__(self, database_url):
        parts = urllib.parse.urlsplit(database_url)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = urllib.parse.urlunsplit(
            parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{self.port}")
        )
        self.statements: list[str] = []
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.relay, args=(client,), daemon=True).start()

    def relay(self, client):
        server = socket.create_connection(self.upstream)
        for end in (client, server):
            end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:  # the startup phase: untyped, length-prefixed messages
                header = receive(client, 8)
                length, code = int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")
                if code in (80877103, 80877104):  # SSLRequest, GSSENCRequest: decline
                    client.sendall(b"N")
                    continue
                server.sendall(header + receive(client, length - 8))
                break
            threading.Thread(target=pipe, args=(server, client), daemon=True).start()
            statements, portals, pending = {}, {}, b""
            while chunk := client.recv(65536):
                # Count the whole messages the chunk completes, then forward it as it came
                # (counted before the server can answer; no per-message writes, which
                # Nagle's algorithm would hold back).
                pending += chunk
                while len(pending) >= 5:
                    length = int.from_bytes(pending[1:5], "big")
                    if len(pending) < 1 + length:
                        break
                    kind, body = pending[:1], pending[5 : 1 + length]
                    pending = pending[1 + length :]
                    if kind == b"Q":
                        self.record(body[:-1].decode(errors="replace"))
                    elif kind == b"P":
                        name, rest = body.split(b"\0", 1)
                        statements[name] = rest.split(b"\0", 1)[0].decode(errors="replace")
                    elif kind == b"B":
                        portal, statement = body.split(b"\0", 2)[:2]
                        portals[portal] = statements.get(statement, "")
                    elif kind == b"E":
                        self.record(portals.get(body.split(b"\0", 1)[0], ""))
                server.sendall(chunk)
        except (ConnectionError, OSError):
            return
        finally:
            for end in (client, server):
                with contextlib.suppress(OSError):
                    end.close()

    def record(self, sql):
        with self.lock:
            self.statements.append(" ".join(sql.split()).lower())

    def count(self, verb, table):
        """Statements so far that start with `verb` and name `table`."""
        pattern = re.compile(rf"\b{table}\b")
        with self.lock:
            return sum(1 for sql in self.statements
                       if sql.startswith(verb) and pattern.search(sql))  # fmt: skip

    def close(self):
        self.listener.close()


def receive(connection, size):
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def pipe(source, target):
    with contextlib.suppress(OSError):
        while chunk := source.recv(65536):
            target.sendall(chunk)
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)


# --- the rules ----------------------------------------------------------------------------


class RuleBroken(AssertionError):
    pass


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def expect(condition, message):
    if not condition:
        raise RuleBroken(message)


def check_headers(test, headers, content_type):
    expect(headers.get("Server"), f"{test}: no Server header")
    expect(headers.get("Date"), f"{test}: no Date header")
    got = headers.get("Content-Type", "")
    expect(got.split(";")[0].strip().lower() == content_type,
           f"{test}: Content-Type {got!r}, want {content_type}")  # fmt: skip


def world_row(test, row):
    expect(isinstance(row, dict) and set(row) == {"id", "randomNumber"},
           f"{test}: a row must be {{'id', 'randomNumber'}}, got {row!r}")  # fmt: skip
    expect(isinstance(row["id"], int) and 1 <= row["id"] <= WORLD_ROWS, f"{test}: id {row!r}")
    expect(isinstance(row["randomNumber"], int) and 1 <= row["randomNumber"] <= 10_000,
           f"{test}: randomNumber {row!r}")  # fmt: skip


def expected_fortunes_html():
    rows = sorted([(0, ADDED_FORTUNE), *enumerate(FORTUNES, start=1)], key=lambda r: r[1])
    return [(str(pk), html.escape(message, quote=False)) for pk, message in rows]


def parse_fortunes(body):
    text = re.sub(r">\s+<", "><", body.strip())
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", text, re.S)
    # Either escaping of quotes is fine: normalise them to the plain character.
    return [(pk, message.replace("&quot;", '"').replace("&#34;", '"').replace("&#x27;", "'")
             .replace("&#39;", "'")) for pk, message in cells]  # fmt: skip


def smoke(base, database_url, counter):
    """Check every test's response against the rules; raise RuleBroken with the reason.
    `counter` is the QueryCounter the app's database connections go through."""
    status, headers, body = fetch(base + "/plaintext")
    check_headers("plaintext", headers, "text/plain")
    expect(status == 200 and body == b"Hello, World!", f"plaintext: body {body[:80]!r}")

    status, headers, body = fetch(base + "/json")
    check_headers("json", headers, "application/json")
    expect(json.loads(body) == {"message": "Hello, World!"}, f"json: body {body[:80]!r}")

    def counted(path, table):
        reads, writes = counter.count("select", table), counter.count("update", table)
        answer = fetch(base + path)
        return (answer, counter.count("select", table) - reads,
                counter.count("update", table) - writes)  # fmt: skip

    (status, headers, body), scans, _ = counted("/db", "world")
    check_headers("db", headers, "application/json")
    world_row("db", json.loads(body))
    expect(scans == 1, f"db: {scans} queries on world, want 1")

    for raw, want in [("20", 20), ("0", 1), ("foo", 1), ("501", 500), ("", 1)]:
        path = f"/queries?queries={raw}" if raw else "/queries"
        (status, headers, body), scans, _ = counted(path, "world")
        check_headers("queries", headers, "application/json")
        rows = json.loads(body)
        shown = len(rows) if isinstance(rows, list) else repr(rows)
        expect(isinstance(rows, list) and len(rows) == want,
               f"queries ({raw!r}): {shown} rows, want {want}")  # fmt: skip
        for row in rows:
            world_row("queries", row)
        expect(scans == want, f"queries ({raw!r}): {scans} queries, want {want}")

    (status, headers, body), scans, _ = counted("/fortunes", "fortune")
    check_headers("fortunes", headers, "text/html")
    expect("charset=utf-8" in headers.get("Content-Type", "").lower().replace(" ", ""),
           "fortunes: Content-Type must say charset=utf-8")  # fmt: skip
    got = parse_fortunes(body.decode("utf-8"))
    expect(got == expected_fortunes_html(),
           f"fortunes: rows {got[:3]!r}… do not match the sorted, escaped fortunes")  # fmt: skip
    expect(b"<script>" not in body, "fortunes: a fortune was not escaped")
    expect(scans == 1, f"fortunes: {scans} queries on fortune, want 1")

    (status, headers, body), scans, updated = counted("/updates?queries=20", "world")
    check_headers("updates", headers, "application/json")
    rows = json.loads(body)
    expect(isinstance(rows, list) and len(rows) == 20, "updates: want 20 rows")
    for row in rows:
        world_row("updates", row)
    expect(scans == 20, f"updates: {scans} reads, want one per row (20)")
    expect(updated >= 1, "updates: no UPDATE statement reached the database")
    import psycopg

    with psycopg.connect(database_url) as connection:
        for row in rows:
            stored = connection.execute(
                "select randomnumber from world where id = %s", [row["id"]]
            ).fetchone()[0]
            if row["id"] not in {r["id"] for r in rows if r is not row}:  # duplicates: last wins
                expect(stored == row["randomNumber"], f"updates: row {row['id']} not stored")


# --- the run --------------------------------------------------------------------------------


def wrk(url, *, connections, duration, core=1):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if shutil.which("taskset"):
        command = ["taskset", "-c", str(core), *command]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {"rps": rate, "non_2xx": int(errors[1]) if errors else 0,
            "socket_errors": socket_errors[1] if socket_errors else ""}  # fmt: skip


def context(args, all_servers):
    def command_output(*command):
        try:  # wrk --version prints its version and exits 1
            return subprocess.run(command, capture_output=True, text=True).stdout
        except OSError:
            return ""

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())  # fmt: skip
    memory = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text()
                   .splitlines() if line.startswith("MemTotal")), None)  # fmt: skip
    packages, pythons = {}, {}
    for folder in apps():
        python = venv_for(folder) / "bin" / "python"
        pythons[folder.name] = command_output(
            str(python), "-c", "import platform; print(platform.python_version())"
        ).strip()
        frozen = command_output(str(python), "-m", "pip", "freeze", "--disable-pip-version-check")
        packages[folder.name] = dict(
            line.split("==", 1) for line in frozen.splitlines() if "==" in line
        )
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": command_output("git", "-C", str(ROOT), "rev-parse", "HEAD").strip(),
        "machine": {
            "cpu_model": cpu,
            "cpu_count": os.cpu_count(),
            "memory_bytes": memory,
            "kernel": platform.release(),
            "os": platform.platform(),
        },
        "python": platform.python_version(),  # the suite's own; each app's is below
        "app_pythons": pythons,
        "postgresql": command_output("psql", "--version").strip(),
        "wrk": command_output("wrk", "--version").splitlines()[0:1] or [""],
        "packages": packages,
        "settings": {
            "workers": args.workers,
            "server_core": 0,
            "load_core": 1,
            "connections": args.connections,
            "duration_seconds": args.duration,
            "rounds": args.rounds,
            "warmup_seconds": args.warmup,
            "servers": {s.label: s.command for s in all_servers},
        },
    }


def run(args):
    database_url = args.database_url
    prepare_database(database_url)
    all_servers = [server for folder in apps() for server in servers(folder)]
    if args.only:
        all_servers = [s for s in all_servers if s.framework in args.only]
    rates = {server.label: {test: [] for test in TESTS} for server in all_servers}
    started = time.monotonic()
    for round_number in range(1, args.rounds + 1):
        order = all_servers if round_number % 2 else list(reversed(all_servers))
        for server in order:
            with serving(server, database_url=database_url, workers=args.workers,
                         core=0) as base:  # fmt: skip
                for test in TESTS:
                    if args.warmup:
                        wrk(base + PATHS[test], connections=args.connections,
                            duration=args.warmup)  # fmt: skip
                    result = wrk(base + PATHS[test], connections=args.connections,
                                 duration=args.duration)  # fmt: skip
                    rates[server.label][test].append(result)
                    print(f"round {round_number} {server.label:<40} {test:<10} "
                          f"{result['rps']:>10,.0f} req/s", flush=True)  # fmt: skip
    results = []
    for server in all_servers:
        for test in TESTS:
            runs = rates[server.label][test]
            values = [r["rps"] for r in runs]
            results.append({
                "framework": server.framework, "server": server.name, "test": test,
                "path": PATHS[test], "median_rps": statistics.median(values),
                "low_rps": min(values), "high_rps": max(values), "rounds": values,
                "non_2xx": sum(r["non_2xx"] for r in runs),
            })  # fmt: skip
    document = {"suite": "versus-framework-bench", "format": 1,
                "context": context(args, all_servers), "results": results,
                "wall_seconds": round(time.monotonic() - started)}  # fmt: skip
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {output} ({document['wall_seconds']} s)")


def smoke_all(args):
    prepare_database(args.database_url)
    failures = []
    for folder in apps():
        for server in servers(folder):
            counter = QueryCounter(args.database_url)
            try:
                with serving(server, database_url=counter.url) as base:
                    smoke(base, args.database_url, counter)
                print(f"{server.label}: every test answers by the rules")
            except (RuleBroken, RuntimeError) as error:
                failures.append(f"{server.label}: {error}")
                print(f"{server.label}: FAILED {error}")
            finally:
                counter.close()
    if failures:
        raise SystemExit("\n".join(failures))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["smoke", "run"])
    parser.add_argument("--database-url", default=default_database_url())
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds per test per round")
    parser.add_argument("--warmup", type=int, default=2, help="seconds before each measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", nargs="*", help="framework slugs")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "frameworks.json"))
    args = parser.parse_args(argv)
    (smoke_all if args.mode == "smoke" else run)(args)


if __name__ == "__main__":
    main()
