"""`make soak`: Versus under mixed load with faults injected, on services of its own.

It starts its own PostgreSQL (initdb in a temporary directory) and Redis (its data in the
same directory, so it can come back with it) on free loopback ports, never the machine's,
migrates, loads the shipped knowledge base, creates an editor with an API token, and serves
Versus with gunicorn (config/gunicorn.py, production settings). Then, phase after phase, 32
connections send a mixed load (~90 % reads of pages and API, ~10 % API PATCHes of cells,
with and without If-Match, each writing a unique marker) while one fault is injected:

    plain             no fault
    postgres-restart  `pg_ctl restart -m fast` in the middle
    redis-outage      Redis stopped for 20 s (saving its data), then started again with it
    worker-kill       one gunicorn worker killed with SIGKILL in the middle

Printed per phase: requests, errors by status, p50/p95/p99 latency, acknowledged writes,
writes lost (read back from the database and its history), stale reads, time to recover.
Everything it started is stopped and its temporary directory removed, even on Ctrl-C.

    make soak
    .venv/bin/python bench/soak.py --duration 3 --phases plain --connections 4
"""

import argparse
import bisect
import contextlib
import gzip
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
GUNICORN = PYTHON.with_name("gunicorn")
PHASES = ("plain", "postgres-restart", "redis-outage", "worker-kill")
EDITOR = "soak-editor"
# "Recovered" means this many requests in a row, in the order they started, all succeeded.
RECOVERED_RUN = 100
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
SETUP = """
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token
call_command("migrate", interactive=False, verbosity=0)
call_command("load_knowledge_base", verbosity=0)
call_command("create_editor", "{editor}")
editor = get_user_model().objects.get(username="{editor}")
print(Token.objects.get_or_create(user=editor)[0].key)
"""


# --- What happened: the figures, computed from records of each request and write ---------


@dataclass
class Request:
    kind: str  # "page", "api", "cell" (a read of a written record), "write"
    path: str
    started: float
    ended: float
    status: int | str  # the HTTP status, or "connection" / "timeout"
    ok: bool
    json_error: bool | None = None  # for an /api/ error: was it JSON?


@dataclass
class Write:
    record: int
    field: str
    marker: str
    if_match: bool
    acked_version: int | None = None  # the version the 200 answer gave; None: no 200
    acked_at: float | None = None


@dataclass
class Read:
    record: int
    started: float
    version: int


def lost_writes(writes, history):
    """The acknowledged writes whose value did not last. `history` maps a record to its
    saved states in commit order, each (version, {field: value}), the current row last.

    A write is lost when the state saved at its version does not hold its marker, or when a
    later state replaced its marker with a value no later write to that field sent (a save
    of another field that put an older value back). Replaced by another write's marker —
    acknowledged at that version, or unacknowledged (its answer lost, yet it may have
    committed) — is overwritten, not lost."""
    acked = {(w.record, w.field, w.marker): w.acked_version for w in writes if w.acked_version}
    unacked = {(w.record, w.field, w.marker) for w in writes if not w.acked_version}
    lost = []
    for write in writes:
        if not write.acked_version:
            continue
        states = history.get(write.record, [])
        at = [i for i, (version, _) in enumerate(states) if version == write.acked_version]
        if not at or states[at[-1]][1].get(write.field) != write.marker:
            lost.append(write)
            continue
        for version, values in states[at[-1] + 1 :]:
            value = values.get(write.field)
            if value == write.marker:
                continue
            key = (write.record, write.field, value)
            if acked.get(key) != version and key not in unacked:
                lost.append(write)
            break
    return lost


def stale_reads(writes, reads):
    """Reads that started after a write to their record was acknowledged and show an older
    version of it."""
    acked = defaultdict(list)  # record -> [(acked_at, version)] in time order
    for write in sorted((w for w in writes if w.acked_version), key=lambda w: w.acked_at):
        acked[write.record].append((write.acked_at, write.acked_version))
    newest = {}  # record -> (times, running maximum of the versions acknowledged by then)
    for record, pairs in acked.items():
        times, maxima, top = [], [], 0
        for at, version in pairs:
            top = max(top, version)
            times.append(at)
            maxima.append(top)
        newest[record] = (times, maxima)
    stale = []
    for read in reads:
        times, maxima = newest.get(read.record, ([], []))
        index = bisect.bisect_left(times, read.started)
        if index and maxima[index - 1] > read.version:
            stale.append(read)
    return stale


def recovery_seconds(requests, fault_end, run=RECOVERED_RUN):
    """From the fault's end to the start of the first `run` requests in a row (in the order
    they started) that all succeeded, or of a shorter run of successes that lasted to the
    phase's end; None if every request after the fault's end up to the last failed."""
    after = sorted((r for r in requests if r.started >= fault_end), key=lambda r: r.started)
    streak_start = None
    for index, request in enumerate(after):
        if not request.ok:
            streak_start = None
            continue
        streak_start = index if streak_start is None else streak_start
        if index - streak_start + 1 == run:
            break
    if streak_start is None:
        return None
    return max(0.0, after[streak_start].started - fault_end)


def percentile(sorted_values, fraction):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def static_collected():
    """Whether `collectstatic` ran after the last change to the static files or the
    requirements (the hashed, compressed copies take seconds to make again)."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [ROOT / "requirements.txt", *(ROOT / "static").rglob("*")]
    return all(source.stat().st_mtime < manifest.stat().st_mtime for source in sources)


# --- The services: PostgreSQL, Redis and gunicorn, each started and stopped here ---------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin():
    """The newest installed PostgreSQL's server binaries."""

    def version(path):  # /usr/lib/postgresql/15/bin/pg_ctl -> [15]
        return [int(number) for number in re.findall(r"\d+", path.parent.parent.name)]

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=version)
    if found:
        return found[-1].parent
    if shutil.which("pg_ctl"):
        return Path(shutil.which("pg_ctl")).parent
    sys.exit("make soak needs PostgreSQL's server (initdb, pg_ctl): apt-get install postgresql")


class Services:
    """Everything the soak runs on, in one temporary directory; close() stops it all."""

    def __init__(self, workers):
        self.workers = workers
        self.dir = Path(tempfile.mkdtemp(prefix="versus-soak-"))
        self.pg_bin = postgres_bin()
        self.pg_data = self.dir / "postgres"
        self.pg_port, self.redis_port, self.site_port = free_port(), free_port(), free_port()
        self.redis_dir = self.dir / "redis"
        self.redis = self.site = None
        self.pg_running = False
        self.closed = False
        self.log = self.dir / "gunicorn.log"
        # PostgreSQL refuses to run as root: then its files belong to, and it runs as, the
        # "postgres" system account.
        self.pg_user = "postgres" if os.geteuid() == 0 else None
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, no proxy
            "DJANGO_STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/versus",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            # The soak measures faults, not the API's rate limit: a limit never reached.
            "API_THROTTLE_ANON": "100000000/second",
            "API_THROTTLE_USER": "100000000/second",
            "VERSUS_EDITOR_PASSWORD": secrets.token_urlsafe(24),
            "GUNICORN_ACCESS_LOG": "",
            "GUNICORN_LOG_LEVEL": "warning",
        }

    # PostgreSQL

    def pg(self, tool, *args, **kwargs):
        return subprocess.run(
            [str(self.pg_bin / tool), *args], check=True, user=self.pg_user,
            start_new_session=True, capture_output=True, text=True, timeout=120, **kwargs,
        )  # fmt: skip

    def pg_options(self):
        # TCP on loopback only, no Unix socket.
        return f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -c unix_socket_directories="

    def start_postgres(self):
        self.pg_data.mkdir(mode=0o700)
        if self.pg_user:
            shutil.chown(self.dir, self.pg_user)
            shutil.chown(self.pg_data, self.pg_user)
        self.pg("initdb", "-D", str(self.pg_data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.pg_ctl("start")
        self.pg_running = True
        self.pg("createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "versus")

    def pg_ctl(self, action, *args):
        log = str(self.dir / "postgres.log")
        self.pg("pg_ctl", action, "-D", str(self.pg_data), "-w", "-l", log,
                "-o", self.pg_options(), *args)  # fmt: skip

    def restart_postgres(self):
        self.pg_ctl("restart", "-m", "fast")

    # Redis

    def start_redis(self):
        if self.closed:  # a fault's thread, late after Ctrl-C
            return
        self.redis_dir.mkdir(exist_ok=True)
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--dir", str(self.redis_dir), "--save", "", "--appendonly", "no",
             "--logfile", str(self.dir / "redis.log")],
            start_new_session=True,
        )  # fmt: skip
        self.wait_for(lambda: self.redis_cli("PING") == "PONG", "Redis did not start")

    def redis_cli(self, *args):
        done = subprocess.run(
            ["redis-cli", "-p", str(self.redis_port), *args],
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        return done.stdout.strip()

    def stop_redis(self):
        """Stopped as an operator stops it: saving its data to disk, to come back with it."""
        self.redis_cli("SHUTDOWN", "SAVE")
        self.redis.wait(timeout=30)
        self.redis = None

    # The site

    def manage(self, *args):
        return subprocess.run(
            [str(PYTHON), "manage.py", *args], cwd=ROOT, env=self.env, check=True,
            capture_output=True, text=True, timeout=600,
        ).stdout  # fmt: skip

    def prepare_site(self):
        """Migrates, loads the knowledge base, creates the editor and its token (in one
        process: each start of Django costs seconds on a busy machine); returns the token."""
        output = self.manage("shell", "-c", SETUP.format(editor=EDITOR))
        if not static_collected():
            self.manage("collectstatic", "--noinput", "--verbosity", "0")
        return re.search(r"\b[0-9a-f]{40}\b", output).group(0)

    def start_site(self):
        command = [
            str(GUNICORN),
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{self.site_port}",
        ]
        if self.workers:
            command += ["--workers", str(self.workers)]
        with self.log.open("ab") as log:
            self.site = subprocess.Popen(
                [*command, "config.wsgi"], cwd=ROOT, env=self.env,
                stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
        self.wait_for(lambda: self.healthy(), "gunicorn did not start (see its log above)")

    def healthy(self):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.site_port, timeout=5)
            connection.request("GET", "/healthz")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def worker_pids(self):
        """The gunicorn master's children: its workers."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.site.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def wait_for(self, check, failure, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.2)
        raise RuntimeError(failure)

    def close(self):
        self.closed = True
        if self.site and self.site.poll() is None:
            self.site.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown
            try:
                self.site.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.site.pid, signal.SIGKILL)
                self.site.wait()
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(timeout=30)
        if self.pg_running:
            with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
                self.pg_ctl("stop", "-m", "immediate")
            self.pg_running = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def database(self):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.pg_port, user="postgres", dbname="versus", autocommit=True
        )


# --- The load ------------------------------------------------------------------------------


@dataclass
class Plan:
    """What the load asks for: page and API paths to read, the cells it writes."""

    pages: list
    api: list
    cells: list
    token: str


@dataclass
class Phase:
    name: str
    requests: list = field(default_factory=list)
    writes: list = field(default_factory=list)
    reads: list = field(default_factory=list)
    fault_start: float | None = None
    fault_end: float | None = None
    started: float = 0.0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    """One keep-alive connection, as a browser or API client keeps one."""

    def __init__(self, port):
        self.port = port
        self.connection = None
        self.used = False
        self.retries = 0  # GETs sent again on a new connection

    def send(self, method, path, body=None, headers=None):
        """(status, headers, body) or raises OSError. An idempotent request that finds its
        reused connection closed by the server (keep-alive timeout, worker recycled) is sent
        again once on a new one, as browsers and HTTP libraries do; a PATCH never is."""
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.used = False
            reused = self.used
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                data = response.read()
                self.used = True
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, response, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if not (reused and method == "GET" and attempt == 1):
                    raise
                self.retries += 1
            except (OSError, http.client.HTTPException):
                self.close()
                raise
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()
        self.connection = None


def fetch_json(client, path, headers=None):
    status, response, data = client.send("GET", path, headers=headers)
    if response.getheader("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return status, response, json.loads(data) if status == 200 else None


def run_load(phase, plan, port, connections, write_share, seed):
    """Starts `connections` threads, each with its own keep-alive connection, sending the
    mix until the returned event is set; returns (event, threads, clients)."""
    stop = threading.Event()
    auth = {"Authorization": f"Token {plan.token}"}

    def record(kind, path, started, status, ok, response=None):
        json_error = None
        if path.startswith("/api/") and isinstance(status, int) and status >= 400:
            content_type = response.getheader("Content-Type", "") if response else ""
            json_error = "json" in content_type
        with phase.lock:
            phase.requests.append(
                Request(kind, path, started, time.monotonic(), status, ok, json_error)
            )

    def attempt(client, kind, method, path, expect=(200,), **kwargs):
        started = time.monotonic()
        try:
            status, response, data = client.send(method, path, **kwargs)
        except TimeoutError:
            record(kind, path, started, "timeout", False)
            return None
        except (OSError, http.client.HTTPException):
            record(kind, path, started, "connection", False)
            return None
        ok = status in expect or (kind in ("page", "api") and status == 304)
        record(kind, path, started, status, ok, response)
        return status, response, data

    def read_cell(client, record_id, signed_in):
        """A read of a written record: anonymous ones go through the public cache."""
        path = f"/api/v1/supports/{record_id}/"
        started = time.monotonic()
        answer = attempt(client, "cell", "GET", path, headers=auth if signed_in else {})
        if answer and answer[0] == 200:
            body = json.loads(answer[2])
            with phase.lock:
                phase.reads.append(Read(record_id, started, body["version"]))
            return answer[1], body
        return None

    def write(client, index, sequence, rng):
        record_id = rng.choice(plan.cells)
        field_name = rng.choice(("summary", "notes"))
        marker = f"soak {phase.name} {index:02d}-{sequence:05d}"
        headers = {"Content-Type": "application/json", **auth}
        if_match = rng.random() < 0.5
        if if_match:
            got = read_cell(client, record_id, signed_in=True)
            if got is None:
                return
            response, body = got
            # The ETag the GET gave, or else the version it showed (what the API accepts).
            headers["If-Match"] = response.getheader("ETag") or f'"{body["version"]}"'
        entry = Write(record_id, field_name, marker, if_match)
        with phase.lock:
            phase.writes.append(entry)
        path = f"/api/v1/supports/{record_id}/"
        body = json.dumps({field_name: marker}).encode()
        answer = attempt(client, "write", "PATCH", path, body=body, headers=headers,
                         expect=(200, 409, 412) if if_match else (200,))  # fmt: skip
        if answer and answer[0] == 200:
            entry.acked_version = json.loads(answer[2])["version"]
            entry.acked_at = time.monotonic()

    def worker(index, client):
        rng = random.Random(f"{seed}-{index}")
        sequence = 0
        while not stop.is_set():
            roll = rng.random()
            if roll < write_share:
                sequence += 1
                write(client, index, sequence, rng)
            elif roll < write_share + 0.25:
                read_cell(client, rng.choice(plan.cells), signed_in=False)
            elif roll < write_share + 0.55:
                attempt(client, "api", "GET", rng.choice(plan.api), headers=BROWSER)
            else:
                attempt(client, "page", "GET", rng.choice(plan.pages), headers=BROWSER)

    clients = [Client(port) for _ in range(connections)]
    threads = [
        threading.Thread(target=worker, args=(index, client), daemon=True)
        for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    return stop, threads, clients


# --- The phases ----------------------------------------------------------------------------


def discover(services, token):
    """The paths the load reads, found on the running site, and the cells it writes."""
    client = Client(services.site_port)
    _, _, frameworks = fetch_json(client, "/api/v1/frameworks/?page_size=100")
    slugs = [item["slug"] for item in frameworks["results"]]
    _, _, features = fetch_json(client, "/api/v1/features/?page_size=100")
    feature_slugs = [item["slug"] for item in features["results"]]
    _, _, cells = fetch_json(client, f"/api/v1/supports/?framework={slugs[0]}&page_size=100")
    cell_ids = [item["id"] for item in cells["results"]][:8]
    pairs = [(a, b) for i, a in enumerate(slugs) for b in slugs[i + 1 :]][:6]
    pages = ["/", "/frameworks/", "/features/", "/sources/", "/benchmarks/", "/use-cases/",
             "/changes/", "/search/?q=async"]  # fmt: skip
    pages += [f"/frameworks/{slug}/" for slug in slugs]
    pages += [f"/features/{slug}/" for slug in feature_slugs[:8]]
    for a, b in pairs:  # the canonical address of each comparison (no redirect under load)
        status, response, _ = client.send("GET", f"/compare/{a}-vs-{b}/")
        location = response.getheader("Location") if status in (301, 302) else None
        pages.append(urlsplit(location)._replace(scheme="", netloc="").geturl()
                     if location else f"/compare/{a}-vs-{b}/")  # fmt: skip
    api = ["/api/v1/frameworks/", "/api/v1/features/", "/api/v1/sources/"]
    api += [f"/api/v1/frameworks/{slug}/" for slug in slugs]
    api += [f"/api/v1/supports/?framework={slug}" for slug in slugs]
    api += [f"/api/v1/compare/?frameworks={a},{b}" for a, b in pairs]
    client.close()
    return Plan(pages=pages, api=api, cells=cell_ids, token=token)


def inject(name, services, phase, duration):
    """Runs in its own thread: waits, then injects the phase's fault."""
    if name == "plain":
        return
    middle = duration / 2
    if name == "redis-outage":
        outage = min(20.0, duration / 3)
        time.sleep(middle - outage / 2)
        phase.fault_start = time.monotonic()
        services.stop_redis()
        time.sleep(outage)
        services.start_redis()
        phase.fault_end = time.monotonic()
        return
    time.sleep(middle)
    phase.fault_start = time.monotonic()
    if name == "postgres-restart":
        services.restart_postgres()
    elif name == "worker-kill":
        os.kill(services.worker_pids()[0], signal.SIGKILL)
    phase.fault_end = time.monotonic()


def read_history(services, cells):
    """Each written cell's saved states in commit order, the current row last."""
    history = defaultdict(list)
    with services.database() as connection:
        rows = connection.execute(
            "SELECT id, version, summary, notes FROM comparisons_historicalsupport"
            " WHERE id = ANY(%s) ORDER BY history_id",
            [cells],
        ).fetchall()
        for record, version, summary, notes in rows:
            history[record].append((version, {"summary": summary, "notes": notes}))
        rows = connection.execute(
            "SELECT id, version, summary, notes FROM comparisons_support WHERE id = ANY(%s)",
            [cells],
        ).fetchall()
        for record, version, summary, notes in rows:
            history[record].append((version, {"summary": summary, "notes": notes}))
    return history


def server_exceptions(log_text):
    """The exception types in gunicorn's log (Django logs each 500's traceback there)."""
    names = re.findall(r"^([A-Za-z_][\w.]*(?:Error|Exception|Timeout|Interrupt)): ", log_text, re.M)
    return dict(Counter(names).most_common(5))


def run_phase(name, services, plan, options):
    phase = Phase(name)
    log_start = services.log.stat().st_size if services.log.exists() else 0
    started = phase.started = time.monotonic()
    stop, threads, clients = run_load(
        phase, plan, services.site_port, options.connections, options.write_share,
        options.seed,
    )  # fmt: skip
    fault = threading.Thread(
        target=inject, args=(name, services, phase, options.duration), daemon=True
    )
    fault.start()
    fault.join(timeout=options.duration + 120)
    time.sleep(max(0.0, started + options.duration - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    for client in clients:
        client.close()
    phase.retries = sum(client.retries for client in clients)
    elapsed = time.monotonic() - started
    # Back to a whole site before the next phase (gunicorn replaces a killed worker).
    services.wait_for(services.healthy, "the site did not come back after the phase", 120)
    history = read_history(services, plan.cells)
    with services.log.open("rb") as log:
        log.seek(log_start)
        exceptions = server_exceptions(log.read().decode(errors="replace"))
    return summarise(phase, history, elapsed, exceptions)


def summarise(phase, history, elapsed, exceptions):
    requests = phase.requests
    latencies = sorted(r.ended - r.started for r in requests)
    errors = Counter(str(r.status) for r in requests if not r.ok)
    acked = [w for w in phase.writes if w.acked_version]
    lost = lost_writes(phase.writes, history)
    stale = stale_reads(phase.writes, phase.reads)
    result = {
        "phase": phase.name,
        "seconds": round(elapsed, 1),
        "requests": len(requests),
        "requests_per_second": round(len(requests) / elapsed, 1),
        "errors": sum(errors.values()),
        "errors_by_status": dict(sorted(errors.items())),
        "api_errors_not_json": sum(1 for r in requests if r.json_error is False),
        "gets_retried_on_new_connection": phase.retries,
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p95_ms": ms(percentile(latencies, 0.95)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "writes_sent": len(phase.writes),
        "writes_with_if_match": sum(w.if_match for w in phase.writes),
        "writes_acknowledged": len(acked),
        "writes_refused_if_match": sum(
            1 for r in requests if r.kind == "write" and r.status in (409, 412)
        ),
        "writes_lost": len(lost),
        # What became of each: the record's saved states from the write's version on.
        "lost_examples": [
            {
                **asdict(w),
                "states_after": [
                    {"version": version, w.field: values[w.field]}
                    for version, values in history.get(w.record, [])
                    if version >= w.acked_version
                ][:4],
            }
            for w in lost[:5]
        ],
        "stale_reads": len(stale),
        "server_exceptions": exceptions,
        # The first failures, each with its start in seconds from the phase's start.
        "failures": [
            {
                "at": round(r.started - phase.started, 2),
                "kind": r.kind,
                "path": r.path,
                "status": r.status,
            }
            for r in sorted((r for r in requests if not r.ok), key=lambda r: r.started)[:50]
        ],
    }
    if phase.fault_start is not None:
        result["fault_at"] = round(phase.fault_start - phase.started, 2)
    if phase.fault_end is not None:
        # In flight at some moment of the fault (for a killed worker, at the kill).
        during = [
            r for r in requests if r.started <= phase.fault_end and r.ended >= phase.fault_start
        ]
        after = [r for r in requests if r.started > phase.fault_end]
        recovered = recovery_seconds(requests, phase.fault_end)
        result.update(
            fault_seconds=round(phase.fault_end - phase.fault_start, 1),
            during_fault={
                "requests": len(during),
                "reads_ok_percent": share_ok([r for r in during if r.kind != "write"]),
                "writes_ok_percent": share_ok([r for r in during if r.kind == "write"]),
            },
            errors_after_fault=sum(1 for r in after if not r.ok),
            errors_after_fault_by_status=dict(
                sorted(Counter(str(r.status) for r in after if not r.ok).items())
            ),
            stale_reads_after_fault=sum(1 for r in stale if r.started > phase.fault_end),
            recovery_seconds=None if recovered is None else round(recovered, 2),
        )
    return result


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def share_ok(requests):
    return round(100 * sum(r.ok for r in requests) / len(requests), 1) if requests else None


COLUMNS = [  # (heading, width, the figure)
    ("phase", -17, lambda r: r["phase"]),
    ("requests", 8, lambda r: r["requests"]),
    ("req/s", 6, lambda r: r["requests_per_second"]),
    ("errors", 7, lambda r: r["errors"]),
    ("p50 ms", 7, lambda r: r["p50_ms"]),
    ("p95 ms", 7, lambda r: r["p95_ms"]),
    ("p99 ms", 8, lambda r: r["p99_ms"]),
    ("acked", 6, lambda r: r["writes_acknowledged"]),
    ("lost", 5, lambda r: r["writes_lost"]),
    ("stale", 6, lambda r: r["stale_reads"]),
    ("recover s", 10, lambda r: recovery_label(r)),
]


def recovery_label(result):
    if "fault_seconds" not in result:
        return "-"
    return "never" if result["recovery_seconds"] is None else result["recovery_seconds"]


def report(results):
    def line(cells):
        return " ".join(f"{cell!s:{'<' if width < 0 else '>'}{abs(width)}}"
                        for cell, (_, width, _) in zip(cells, COLUMNS, strict=True))  # fmt: skip

    print()
    print(line([heading for heading, _, _ in COLUMNS]))
    for r in results:
        print(line([figure(r) for _, _, figure in COLUMNS]))
    for r in results:
        details = [f"errors by status {r['errors_by_status'] or '{}'}"]
        if r["gets_retried_on_new_connection"]:
            details.append(
                f"{r['gets_retried_on_new_connection']} GETs retried on a new connection"
            )
        if r["api_errors_not_json"]:
            details.append(f"{r['api_errors_not_json']} /api/ errors not JSON")
        if "during_fault" in r:
            during = r["during_fault"]
            details.append(
                f"{during['requests']} requests in flight during the {r['fault_seconds']} s fault: "
                f"reads ok {during['reads_ok_percent']}%, writes ok {during['writes_ok_percent']}%"
            )
            details.append(
                f"after it: {r['errors_after_fault']} errors {r['errors_after_fault_by_status']}"
                f", {r['stale_reads_after_fault']} stale reads"
            )
        if r["server_exceptions"]:
            details.append(f"server exceptions {r['server_exceptions']}")
        print(f"  {r['phase']}: " + "; ".join(details))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load per phase")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"comma-separated, from {','.join(PHASES)}")  # fmt: skip
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (config/gunicorn.py's default)"
    )
    parser.add_argument("--write-share", type=float, default=0.10)
    parser.add_argument("--seed", default="versus")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "soak.json"))
    options = parser.parse_args(argv)
    phases = [name.strip() for name in options.phases.split(",") if name.strip()]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(
            f"unknown phase(s) {', '.join(sorted(unknown))}; choose from {', '.join(PHASES)}"
        )
    if not shutil.which("redis-server"):
        sys.exit("make soak needs redis-server: apt-get install redis-server")

    # SIGTERM or the terminal's SIGHUP ends the run as Ctrl-C does: through `finally`.
    def interrupted(signum, frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # even if SIGINT was ignored
        signal.signal(signum, interrupted)
    services = Services(options.workers)
    results = []
    try:
        print(f"Own services in {services.dir}: PostgreSQL :{services.pg_port}, "
              f"Redis :{services.redis_port}, site :{services.site_port}", flush=True)  # fmt: skip
        services.start_postgres()
        services.start_redis()
        print("Migrating, loading the knowledge base, creating the editor ...", flush=True)
        token = services.prepare_site()
        services.start_site()
        plan = discover(services, token)
        workers = len(services.worker_pids())
        for name in phases:
            print(f"phase {name}: {options.duration:g} s, {options.connections} connections",
                  flush=True)  # fmt: skip
            results.append(run_phase(name, services, plan, options))
    except KeyboardInterrupt:
        print("\ninterrupted: stopping everything the soak started", file=sys.stderr)
        return 130
    except (subprocess.CalledProcessError, RuntimeError) as error:
        detail = getattr(error, "stderr", None) or ""
        print(f"soak failed: {error}\n{detail}", file=sys.stderr)
        if services.log.exists():
            print(services.log.read_text(errors="replace")[-4000:], file=sys.stderr)
        return 1
    finally:
        services.close()
    report(results)
    output = Path(options.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "machine": f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}",
                "gunicorn_workers": workers,
                "temporary_directory": str(services.dir),
                "options": vars(options),
                "phases": results,
            },
            indent=2,
        )
    )
    print(f"\nwritten to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
