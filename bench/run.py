"""`make bench`: Versus under load on this machine, every figure relative to a baseline.

One gunicorn worker pinned to core 0 serves a synthetic knowledge base (30 frameworks x 300
features) from PostgreSQL with the Redis cache; wrk, pinned to core 1, loads it. Scenarios
run interleaved, round after round, and the baseline (a view that runs the whole middleware
stack and nothing else) runs before and after every one of them: each scenario's ratio in a
round is its rate over the mean of the two baselines around it, so a machine whose speed
drifts from one minute to the next (shared virtual machines do, by ±20 %) moves both sides
of the ratio alike. Printed: the median rate over rounds, the median of the paired ratios
with their range, and the SQL queries each request ran.

    make bench                      # defaults: 3 rounds x 5 s per scenario
    .venv/bin/python bench/run.py --rounds 5 --duration 10 --worker-class sync --connections 1
"""

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PORT = 8199
BASE = f"http://127.0.0.1:{PORT}"
SKIP_CACHE = ("X-Bench-Skip-Cache", "1")
# Every request says what every browser says: it takes gzip. (Only cached responses are
# compressed — once, when stored; uncached ones go out as rendered.)
BROWSER = ("Accept-Encoding", "gzip, deflate, br")


def run(command, **kwargs):
    return subprocess.run(command, check=True, cwd=ROOT, **kwargs)


def frameworks(count):
    return "-vs-".join(sorted(f"fw{i}" for i in range(count)))  # the canonical address


def scenarios():
    """(name, path, extra headers, cells on the page or None, minimum seconds per round)."""
    ten_by_hundred = f"/compare/{frameworks(10)}/?" + "&".join(
        f"category=category-{i}" for i in range(10)
    )
    # Five must-haves and five nice-to-haves, in the canonical order (no redirect).
    choose_ten = "/choose/?must=" + ",".join(f"feature-{i}:partial" for i in range(5))
    choose_ten += "&nice=" + ",".join(f"feature-{i}:2" for i in range(5, 10))
    return [
        ("baseline: hello view", "/bench/hello", [], None, 0),
        ("compare 10x100, cached", ten_by_hundred, [], 10 * 100, 0),
        ("compare 10x100, 304", ten_by_hundred, ["etag"], 10 * 100, 0),
        ("compare 10x100, uncached", ten_by_hundred, [SKIP_CACHE], 10 * 100, 10),
        # A request here takes seconds: a longer window, so whole requests get counted.
        ("compare 30x300, uncached", f"/compare/{frameworks(30)}/", [SKIP_CACHE], 30 * 300, 40),
        ("API 100 cells, uncached", "/api/v1/supports/?page_size=100", [SKIP_CACHE], None, 0),
        # Issue 15: every framework ranked on 10 requirements over the 30 x 300 base.
        ("choose 30x300, 10 reqs, uncached", choose_ten, [SKIP_CACHE], 30 * 10, 10),
    ]


def fetch(path, headers=()):
    request = urllib.request.Request(BASE + path, headers=dict(headers))
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wrk(path, headers, duration, connections):
    command = ["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{duration}s"]
    command += ["--timeout", "60s"]  # slow pages must count as slow, not vanish as time-outs
    for name, value in headers:
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, BASE + path], check=True, capture_output=True, text=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    return rate, (int(errors.group(1)) if errors else 0) + (
        int(timeouts.group(1)) if timeouts else 0
    )


def drain(threads):
    """Wait until requests wrk abandoned have finished, so the next scenario starts on an
    idle server: as many simultaneous requests as threads must all come back fast."""
    from concurrent.futures import ThreadPoolExecutor

    for _ in range(600):
        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda _: fetch("/bench/hello"), range(threads)))
        if time.perf_counter() - started < 0.05:
            return
    sys.exit("the server did not become idle")


def prepare_database(database_url, env):
    if database_url.startswith("postgres"):
        name = database_url.rsplit("/", 1)[1]
        run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name])
        run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name])
    generator_env = {**env, "SYNTHETIC_DATABASE_URL": database_url}
    generator_env.pop("DATABASE_URL", None)  # the site's own database stays untouched
    run(
        [PYTHON, "manage.py", "generate_synthetic_kb", "--frameworks", "30", "--features", "300"],
        env=generator_env,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per scenario per round")
    # As many connections as the worker has threads: the server stays busy, nothing queues.
    parser.add_argument("--connections", type=int, default=2)
    # Production's defaults (config/gunicorn.py).
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=2, help="gthread only")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/versus_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "latest.json"))
    parser.add_argument(
        "--only", action="append", default=[], metavar="WORDS",
        help="run only scenarios whose name contains WORDS (repeatable; the baseline always runs)",
    )  # fmt: skip
    parser.add_argument(
        "--reuse-database", action="store_true",
        help="keep the synthetic database a previous run built instead of rebuilding it",
    )  # fmt: skip
    options = parser.parse_args()

    for tool in ("wrk", "taskset"):
        if not shutil.which(tool):
            sys.exit(f"make bench needs '{tool}': apt-get install -y wrk util-linux")

    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATICFILES_STORAGE": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "DATABASE_URL": options.database_url,
        "DATABASE_POOL_MAX_SIZE": "4",
        "REDIS_URL": options.redis_url,
        "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
        # Production's settings plus /bench/hello, X-Bench-Skip-Cache and X-Query-Count.
        "DJANGO_SETTINGS_MODULE": "config.benchmark_settings",
        # The benchmark measures the server, not the API's rate limit: a limit never reached,
        # over a second, so each client's record (the request times DRF keeps in the cache)
        # stays as short as a real limit keeps it, not a minute of benchmark load long.
        "API_THROTTLE_ANON": "100000000/second",
        "API_THROTTLE_USER": "100000000/second",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    if not options.reuse_database:
        print("Preparing the synthetic knowledge base (30 x 300) ...", flush=True)
        prepare_database(options.database_url, env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env=env)

    server = subprocess.Popen(
        [
            "taskset", "-c", "0", GUNICORN, "-c", "config/gunicorn.py",
            "--workers", "1", "--worker-class", options.worker_class,
            "--threads", str(options.threads), "--bind", f"127.0.0.1:{PORT}",
            "config.wsgi",
        ],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                if fetch("/bench/hello")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not start")
        results = measure(options)
    finally:
        server.terminate()
        server.wait(timeout=30)

    report(results, options)


def measure(options):
    plan = []
    chosen = [
        scenario
        for index, scenario in enumerate(scenarios())
        if index == 0 or not options.only or any(words in scenario[0] for words in options.only)
    ]
    for name, path, headers, cells, minimum in chosen:
        # Warms the cache for the cached scenarios.
        status, response_headers, _ = fetch(path, [BROWSER])
        if status != 200:
            sys.exit(f"{name}: {path} answered {status}")
        if headers == ["etag"]:
            etag = response_headers.get("ETag")
            if not etag:
                sys.exit(f"{name}: no ETag on {path}")
            headers = [("If-None-Match", etag)]
            status = fetch(path, [BROWSER, *headers])[0]
            if status != 304:
                sys.exit(f"{name}: If-None-Match answered {status}, not 304")
        headers = [BROWSER, *headers]
        _, response_headers, body = fetch(path, headers)
        queries = response_headers.get("X-Query-Count")
        plan.append(
            {
                "name": name,
                "path": path,
                "headers": headers,
                "cells": cells,
                "minimum": minimum,
                "queries": int(queries) if queries is not None else None,
                "bytes": len(body),
                "encoding": response_headers.get("Content-Encoding", "identity"),
                "rates": [],
            }
        )
    baseline, others = plan[0], plan[1:]
    for scenario in others:
        scenario["ratios"] = []
    for round_number in range(1, options.rounds + 1):
        before = load(baseline, options)
        for scenario in others:
            rate = load(scenario, options)
            after = load(baseline, options)
            scenario["ratios"].append(rate / ((before + after) / 2))
            before = after
        print(f"round {round_number}/{options.rounds} done", flush=True)
    return plan


def load(scenario, options):
    """One wrk window on `scenario`; its rate, also kept in the scenario's rates."""
    duration = max(options.duration, scenario["minimum"])
    rate, errors = wrk(scenario["path"], scenario["headers"], duration, options.connections)
    drain(options.connections)
    if errors:
        sys.exit(f"{scenario['name']}: {errors} error responses under load")
    scenario["rates"].append(rate)
    return rate


def report(plan, options):
    rows = []
    print()
    print(
        f"{'scenario':28} {'req/s':>9} {'x baseline':>11} {'(range)':>13} {'queries':>8} "
        f"{'cells/s':>10} {'bytes sent':>12}"
    )
    for scenario in plan:
        rate = statistics.median(scenario["rates"])
        ratios = scenario.get("ratios", [1.0])
        ratio = statistics.median(ratios)
        cells_per_second = rate * scenario["cells"] if scenario["cells"] else None
        rows.append({**scenario, "median": rate, "ratio": ratio,
                     "cells_per_second": cells_per_second})  # fmt: skip
        spread = f"{min(ratios):.3f}-{max(ratios):.3f}" if len(ratios) > 1 else ""
        cells = f"{cells_per_second:10,.0f}" if cells_per_second else f"{'':10}"
        queries = scenario["queries"] if scenario["queries"] is not None else "?"
        sent = f"{scenario['bytes']:,}" + (" gz" if scenario["encoding"] == "gzip" else "")
        print(
            f"{scenario['name']:28} {rate:9,.1f} {ratio:11.3f} {spread:>13} {queries!s:>8} "
            f"{cells} {sent:>12}"
        )
    Path(options.output).parent.mkdir(parents=True, exist_ok=True)
    Path(options.output).write_text(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "machine": f"{os.cpu_count()} cores",
                "options": vars(options),
                "scenarios": rows,
            },
            indent=2,
            default=str,
        )
    )
    print(f"\nwritten to {options.output}")


if __name__ == "__main__":
    main()
