"""Benchmarks as server-rendered SVG: the geometry is computed here, the template only draws.

Values are bars, low–high figures are drawn ranges, lower bounds ("10,000+") are bars that
run on into an open-ended arrow. Rank-only results have no figure, so they are never drawn
as bars: the template lists them in order instead.

Each chart is laid out twice — wide (names beside the bars) and narrow (names above them,
for phones) — and CSS shows the one that fits, so neither needs JavaScript nor shrinks its
text to nothing.
"""

import math
from dataclasses import dataclass

from django import template

from comparisons.models import BenchmarkResult

register = template.Library()

BAR_HEIGHT = 18
TOP = 12
AXIS_HEIGHT = 52
TICK_COUNT = 5


@dataclass(frozen=True)
class Layout:
    name: str
    width: int
    label_width: int  # room for names left of the bars; 0 puts them above
    value_label_width: int
    row_height: int
    tick_count: int

    @property
    def stacked(self):
        return self.label_width == 0


WIDE = Layout("wide", 900, 190, 170, 44, TICK_COUNT)
NARROW = Layout("narrow", 340, 0, 118, 58, 3)


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
    kind: str  # value, range, lower-bound
    bar_y: float
    label_x: float
    label_y: float
    label_anchor: str
    x: float = 0
    width: float = 0
    end: float = 0  # range: the high end; lower bound: the tip of its open end
    open_start: float = 0  # lower bound: where the figure ends and 'and more' begins
    text: str = ""
    text_x: float = 0

    @property
    def middle(self):
        return self.bar_y + BAR_HEIGHT / 2

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
    layout: Layout
    bars: list
    ticks: list
    height: int
    plot_left: int
    plot_right: int
    axis_y: float

    @property
    def width(self):
        return self.layout.width

    @property
    def tick_bottom(self):
        return self.axis_y + 5

    @property
    def tick_label_y(self):
        return self.axis_y + 20

    @property
    def axis_label_y(self):
        return self.axis_y + 42


def sort_key(benchmark):
    def key(result):
        figure = float(
            result.high if result.figure == BenchmarkResult.Figure.RANGE else result.value
        )
        return -figure if benchmark.higher_is_better else figure

    return key


def peak_of(results):
    peak = 0.0
    for result in results:
        if result.figure == BenchmarkResult.Figure.RANGE:
            peak = max(peak, float(result.high))
        elif result.figure == BenchmarkResult.Figure.LOWER_BOUND:
            # Leave room after a lower bound for its open end to read as 'and more'.
            peak = max(peak, float(result.value) * 1.25)
        else:
            peak = max(peak, float(result.value))
    return peak


def lay_out(figured, layout):
    step, top = axis_scale(peak_of(figured), layout.tick_count)
    left = layout.label_width or 8
    right = layout.width - layout.value_label_width
    span = right - left

    def x_of(number):
        return left + span * float(number) / top

    bars = []
    for index, result in enumerate(figured):
        row_y = TOP + index * layout.row_height
        if layout.stacked:
            label_x, label_y, anchor = left, row_y + 13, "start"
            bar_y = row_y + 22
        else:
            label_x, label_y, anchor = left - 12, row_y + layout.row_height / 2, "end"
            bar_y = row_y + (layout.row_height - BAR_HEIGHT) / 2
        bar = Bar(
            result=result,
            label=result.framework.name,
            server=result.server,
            kind=result.figure,
            bar_y=bar_y,
            label_x=label_x,
            label_y=label_y,
            label_anchor=anchor,
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

    axis_y = TOP + len(bars) * layout.row_height + 6
    ticks = [
        Tick(x=x_of(step * index), label=format_number(step * index))
        for index in range(round(top / step) + 1)
    ]
    return Chart(
        layout=layout,
        bars=bars,
        ticks=ticks,
        height=int(axis_y + AXIS_HEIGHT),
        plot_left=left,
        plot_right=right,
        axis_y=axis_y,
    )


def build_chart(benchmark, results, layout=WIDE):
    """One layout of a benchmark's figured results (rank-only ones are left to a list)."""
    figured = [r for r in results if r.figure != BenchmarkResult.Figure.RANK]
    return lay_out(sorted(figured, key=sort_key(benchmark)), layout)


def ranked_results(results):
    return sorted(
        (r for r in results if r.figure == BenchmarkResult.Figure.RANK),
        key=lambda r: (r.rank, r.framework.name),
    )


@register.inclusion_tag("comparisons/partials/_benchmark_chart.html")
def benchmark_chart(benchmark):
    """Draw a benchmark whose `results` were prefetched (Benchmark.objects.with_results())."""
    results = list(benchmark.results.all())
    unit = f" ({benchmark.unit})" if benchmark.unit else ""
    better = "higher is better" if benchmark.higher_is_better else "lower is better"
    charts = [build_chart(benchmark, results, layout) for layout in (WIDE, NARROW)]
    return {
        "benchmark": benchmark,
        "charts": charts if charts[0].bars else [],
        "bars": charts[0].bars,
        "rows": with_ratios(benchmark, charts[0].bars),
        "ranked": ranked_results(results),
        "axis_label": f"{benchmark.metric}{unit} — {better}",
    }


def with_ratios(benchmark, bars):
    """Each bar with its figure as a share of the best one ("0.42×"), for single values;
    ranges and lower bounds have no one figure to divide."""
    values = [bar.result.value for bar in bars if bar.result.figure == "value" and bar.result.value]
    best = (max if benchmark.higher_is_better else min)(values) if values else None
    rows = []
    for bar in bars:
        value = bar.result.value if bar.result.figure == "value" else None
        if best and value:
            share = value / best if benchmark.higher_is_better else best / value
            rows.append((bar, f"{share:.2f}×"))
        else:
            rows.append((bar, ""))
    return rows
