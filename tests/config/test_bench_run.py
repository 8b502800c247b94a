"""bench/run.py: what `make bench` reports, on a simulated machine (no server, no wrk)."""

import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "run.py"


@pytest.fixture
def bench():
    return SimpleNamespace(**runpy.run_path(str(SCRIPT)))


def drifting_machine(bench, speeds, cost):
    """A fake wrk on a machine whose speed changes with every window: the n-th window runs at
    speeds[n] x nominal, and a scenario does 1000 / cost[path] requests/s at nominal speed."""
    windows = iter(speeds)

    def wrk(path, headers, duration, connections):
        return 1000 / cost[path] * next(windows), 0

    return wrk


def test_each_ratio_is_paired_with_the_baselines_around_it(bench, capsys, tmp_path):
    scenarios = bench.scenarios()
    hello = scenarios[0]
    (api,) = [scenario for scenario in scenarios if scenario[0].startswith("API")]
    cost = {hello[1]: 1.0, api[1]: 10.0}  # the API list is truly 0.100 x baseline
    # Three rounds of baseline, API, baseline, on a machine slowing down steadily: against
    # the first baseline of its round alone, the API would come out at 0.090, 0.086, 0.075.
    speeds = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]
    bench_globals = bench.measure.__globals__
    bench_globals["wrk"] = drifting_machine(bench, speeds, cost)
    bench_globals["drain"] = lambda threads: None
    bench_globals["fetch"] = lambda path, headers=(): (200, {"X-Query-Count": "3"}, b"{}")
    options = SimpleNamespace(
        rounds=3, duration=1, connections=2, only=["API"], output=str(tmp_path / "r.json")
    )

    plan = bench.measure(options)

    assert [scenario["name"] for scenario in plan] == [hello[0], api[0]]
    assert plan[0]["rates"] == pytest.approx([1000, 800, 700, 500, 400, 200])
    assert plan[1]["rates"] == pytest.approx([90, 60, 30])
    assert plan[1]["ratios"] == pytest.approx([0.1, 0.1, 0.1])

    bench.report(plan, options)
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("API"))
    assert line.split()[4:7] == ["60.0", "0.100", "0.100-0.100"]
