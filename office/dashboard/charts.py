"""Server-side SVG charts (no chart library, no script): geometry computed here, drawn by the
templates as inline SVG. Each mark carries its value as text or a pattern, never colour alone."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 300, 120
LEFT, RIGHT, TOP, BOTTOM = 32, 6, 16, 18  # room for the axis labels


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    url: str
    title: str
    empty: bool  # no document arrived that day: a hatched stub, not a zero-height bar
    label: str  # the day (every 5th day and the last), shown under the axis
    value_text: str  # the rate, printed above the bar on the last day


def trend_chart(trend) -> dict:
    """The 30-day same-day clearance rate: one bar per day of arrival (height = cleared on time
    / received), linking to that day's on-time list."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(trend), 1)
    bars = []
    for i, day in enumerate(trend):
        rate = day.rate
        x = LEFT + i * step + step * 0.12
        w = step * 0.76
        empty = rate is None
        h = 4 if empty else max(plot_h * rate / 100, 1)
        last = i == len(trend) - 1
        title = (f"{day.day:%m-%d}: {day.on_time.value}/{day.received.value}"
                 + ("" if empty else f" = {rate:.0f}%"))
        bars.append(Bar(
            x=round(x, 1), y=round(TOP + plot_h - h, 1), w=round(w, 1), h=round(h, 1),
            url=day.on_time.url, title=title, empty=empty,
            # every 7th day and the last, never two labels on top of each other
            label=f"{day.day:%m-%d}" if (last or (i % 7 == 0 and len(trend) - 1 - i >= 4)) else "",
            value_text=("—" if empty else f"{rate:.0f}%") if last else ""))
    grid = [{"y": round(TOP + plot_h * (1 - p / 100), 1), "label": f"{p}%"} for p in (0, 50, 100)]
    return {"width": WIDTH, "height": HEIGHT, "bars": bars, "grid": grid, "left": LEFT,
            "right": WIDTH - RIGHT, "axis_y": HEIGHT - BOTTOM + 11}


def unit_bar(open_count: int, overdue: int, largest: int) -> dict:
    """One unit's bar on a 0..100 scale: open items solid, the overdue part hatched."""
    largest = max(largest, 1)
    return {"open": round(100 * open_count / largest, 1), "overdue": round(100 * overdue / largest, 1)}
