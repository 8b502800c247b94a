"""A framework's releases on a time axis, laid out in Python for a server-rendered SVG
(templates/comparisons/partials/_release_timeline.html): one mark per final release of the
registry snapshot, taller for a feature release (X.Y.0) than for a patch, year ticks, and
the last 12 months shaded — what "releases in 12 months" counts."""

import datetime
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

WIDTH, HEIGHT = 720, 96
LEFT, RIGHT = 16, 16
AXIS_Y = 64
MAX_TICKS = 10


@dataclass(frozen=True)
class Mark:
    x: float
    version: str
    day: datetime.date
    feature_release: bool  # X.Y.0: drawn taller

    @property
    def top(self):
        return AXIS_Y - (26 if self.feature_release else 12)


@dataclass(frozen=True)
class Tick:
    x: float
    year: int


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    axis_y: int
    left: float
    right: float
    marks: list[Mark]
    ticks: list[Tick]
    year_start: float  # x where the shaded last 12 months begin
    first: Mark
    latest: Mark

    @property
    def shaded_width(self):
        return self.right - self.year_start


def release_timeline(releases, *, today: datetime.date) -> Timeline | None:
    """The layout for `releases` ([version, 'YYYY-MM-DD'] pairs), or None without any."""
    dated = []
    for version, day in releases:
        try:
            dated.append((datetime.date.fromisoformat(day), version, Version(version)))
        except (ValueError, InvalidVersion):
            continue
    if not dated:
        return None
    dated.sort()
    start, end = dated[0][0], max(today, dated[-1][0])
    span = max((end - start).days, 1)
    right = WIDTH - RIGHT

    def x_of(day):
        return LEFT + (right - LEFT) * (day - start).days / span

    marks = [
        Mark(x_of(day), version, day, parsed.micro == 0 and len(parsed.release) <= 3)
        for day, version, parsed in dated
    ]
    step = next(step for step in (1, 2, 5, 10, 20) if (end.year - start.year) / step < MAX_TICKS)
    ticks = [
        Tick(x_of(datetime.date(year, 1, 1)), year)
        for year in range(start.year + 1, end.year + 1)
        if year % step == 0
    ]
    year_ago = max(start, end - datetime.timedelta(days=365))
    return Timeline(
        WIDTH, HEIGHT, AXIS_Y, LEFT, right, marks, ticks, x_of(year_ago), marks[0], marks[-1]
    )
