"""Benchmarks as server-rendered SVG: the geometry is computed here, the template only draws.

Values are bars, low–high figures are drawn ranges, lower bounds ("10,000+") are bars that
run on into an open-ended arrow. Rank-only results have no figure, so they are never drawn
as bars: the template lists them in order instead.
"""

import math
from dataclasses import dataclass

from django import template

from comparisons.models import BenchmarkResult

register = template.Library()

WIDTH = 900
LABEL_WIDTH = 190
VALUE_LABEL_WIDTH = 110
ROW_HEIGHT = 44
BAR_HEIGHT = 18
TOP = 12
AXIS_HEIGHT = 52
TICK_COUNT = 5


def nice_step(value):
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above value, so ticks read as round numbers."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def axis_scale(peak, ticks=TICK_COUNT):
    """A round tick step and the axis maximum it reaches, at or just above `peak`."""
    step = nice_step(peak / ticks)
    return step, step * max(math.ceil(peak / step - 1e-9), 1)


def format_number(number):
    if number >= 1000 and number == int(number):
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


@dataclass
class Bar:
    result: BenchmarkResult
    label: str
    server: str
    y: float
    kind: str  # value, range, lower-bound
    x: float = 0
    width: float = 0
    end: float = 0  # range high end, or open-ended arrow tip
    text: str = ""
    text_x: float = 0
    open_start: float = 0  # lower bound: where the figure ends and 'and more' begins

    @property
    def bar_y(self):
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) / 2

    @property
    def middle(self):
        return self.y + ROW_HEIGHT / 2

    @property
    def cap_top(self):
        return self.bar_y - 3

    @property
    def cap_bottom(self):
        return self.bar_y + BAR_HEIGHT + 3

    @property
    def open_width(self):
        return self.end - self.open_start


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Chart:
    benchmark: object
    bars: list
    ranked: list
    ticks: list
    width: int
    height: int
    plot_left: int
    plot_right: int
    axis_y: float
    axis_label: str

    @property
    def has_bars(self):
        return bool(self.bars)

    @property
    def label_x(self):
        return self.plot_left - 12

    @property
    def tick_bottom(self):
        return self.axis_y + 5

    @property
    def tick_label_y(self):
        return self.axis_y + 20

    @property
    def axis_label_y(self):
        return self.axis_y + 42


def build_chart(benchmark, results):
    results = list(results)
    figured = [r for r in results if r.figure != BenchmarkResult.Figure.RANK]
    ranked = sorted(
        (r for r in results if r.figure == BenchmarkResult.Figure.RANK),
        key=lambda r: (r.rank, r.framework.name),
    )
    if benchmark.higher_is_better:
        figured.sort(key=lambda r: -float(r.high if r.low is not None else r.value))
    else:
        figured.sort(key=lambda r: float(r.low if r.low is not None else r.value))

    peak = 0.0
    for result in figured:
        if result.figure == BenchmarkResult.Figure.RANGE:
            peak = max(peak, float(result.high))
        elif result.figure == BenchmarkResult.Figure.LOWER_BOUND:
            # Leave room after a lower bound for its open end to read as 'and more'.
            peak = max(peak, float(result.value) * 1.25)
        else:
            peak = max(peak, float(result.value))
    step, top = axis_scale(peak)
    left, right = LABEL_WIDTH, WIDTH - VALUE_LABEL_WIDTH
    span = right - left

    def x_of(number):
        return left + span * float(number) / top

    bars = []
    for index, result in enumerate(figured):
        bar = Bar(
            result=result,
            label=result.framework.name,
            server=result.server,
            y=TOP + index * ROW_HEIGHT,
            kind=result.figure,
            x=left,
            text=result.display,
        )
        if result.figure == BenchmarkResult.Figure.RANGE:
            bar.x, bar.end = x_of(result.low), x_of(result.high)
            bar.width = max(bar.end - bar.x, 2)
            bar.text_x = bar.end + 8
        elif result.figure == BenchmarkResult.Figure.LOWER_BOUND:
            bar.width = max(x_of(result.value) - left, 1)
            bar.open_start = left + bar.width
            bar.end = min(bar.open_start + span * 0.16, right)
            bar.text_x = bar.end + 8
        else:
            bar.width = max(x_of(result.value) - left, 1)
            bar.text_x = left + bar.width + 8
        bars.append(bar)

    axis_y = TOP + len(bars) * ROW_HEIGHT + 6
    ticks = [
        Tick(x=x_of(step * index), label=format_number(step * index))
        for index in range(round(top / step) + 1)
    ]
    unit = f" ({benchmark.unit})" if benchmark.unit else ""
    better = "higher is better" if benchmark.higher_is_better else "lower is better"
    return Chart(
        benchmark=benchmark,
        bars=bars,
        ranked=ranked,
        ticks=ticks,
        width=WIDTH,
        height=int(axis_y + AXIS_HEIGHT),
        plot_left=left,
        plot_right=right,
        axis_y=axis_y,
        axis_label=f"{benchmark.metric}{unit} — {better}",
    )


@register.inclusion_tag("comparisons/partials/_benchmark_chart.html")
def benchmark_chart(benchmark, heading_level=2):
    """Draw a benchmark whose `results` were prefetched (Benchmark.objects.with_results())."""
    return {
        "chart": build_chart(benchmark, benchmark.results.all()),
        "benchmark": benchmark,
        "heading_level": heading_level,
    }
