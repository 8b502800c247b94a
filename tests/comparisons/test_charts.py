"""Benchmark charts: server-rendered SVG, figures drawn as the source gives them."""

import re

import pytest

from comparisons.models import Benchmark
from comparisons.templatetags.benchmark_charts import NARROW, axis_scale, build_chart
from tests.comparisons.web_data import build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return build_site()


def test_values_ranges_and_lower_bounds_are_each_drawn_their_own_way(client, site):
    content = client.get("/benchmarks/io-throughput/").content.decode()
    start = content.index('<svg class="chart-svg chart-wide"')
    svg = content[start : content.index("</svg>", start)]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert svg.count('class="chart-row chart-row-value"') == 1
    assert svg.count('class="chart-row chart-row-range"') == 1
    assert svg.count('class="chart-row chart-row-lower-bound"') == 1
    assert 'marker-end="url(#arrow-io-throughput-wide)"' in svg  # the open end of '10,000+'
    assert "10,000+" in svg and "3,000–5,000" in svg and "2,500" in svg
    assert "Throughput (requests/s) — higher is better" in svg  # axis with unit
    for context in ("Workload", "Server", "Hardware", "Date", "Source"):
        assert f"<dt>{context}</dt>" in content
    assert "<script" not in svg
    assert content.count('<svg class="chart-svg chart-narrow"') == 1  # the phone layout


def test_the_phone_layout_puts_names_above_the_bars(site):
    benchmark = Benchmark.objects.with_results().get(slug="io-throughput")
    chart = build_chart(benchmark, benchmark.results.all(), NARROW)
    for bar in chart.bars:
        assert bar.label_anchor == "start"
        assert bar.label_y < bar.bar_y
        assert bar.text_x < chart.width


def test_rank_only_results_are_an_ordered_list_never_bars(client, site):
    content = client.get("/benchmarks/json-ranking/").content.decode()
    assert "chart-svg" not in content
    ranked = re.search(r'<ol class="ranked-list">(.*?)</ol>', content, re.S).group(1)
    assert ranked.index("FastAPI") < ranked.index("Flask")


def test_bars_are_in_proportion_on_a_round_axis(site):
    benchmark = Benchmark.objects.with_results().get(slug="io-throughput")
    chart = build_chart(benchmark, benchmark.results.all())
    by_name = {bar.label: bar for bar in chart.bars}
    assert [bar.label for bar in chart.bars] == ["FastAPI", "Django", "Flask"]
    flask, django = by_name["Flask"], by_name["Django"]
    span = chart.plot_right - chart.plot_left
    top = float(chart.ticks[-1].label.replace(",", ""))
    assert flask.width == pytest.approx(span * 2500 / top)
    assert django.x == pytest.approx(chart.plot_left + span * 3000 / top)
    assert django.end == pytest.approx(chart.plot_left + span * 5000 / top)
    assert by_name["FastAPI"].end > by_name["FastAPI"].open_start


@pytest.mark.parametrize(
    ("peak", "step", "top"), [(12500, 2500, 12500), (5000, 1000, 5000), (99, 20, 100), (0, 1, 1)]
)
def test_axis_scale_is_round(peak, step, top):
    assert axis_scale(peak) == (step, top)
