"""SVG charts drawn on the server: stacked bars, horizontal bars, a timeline and a network.

Every function returns markup built with `format_html`, so names from the database are escaped.
Marks carry classes styled in static/css/site.css (`series-1` … `series-6`, `mark-day`,
`mark-rough`), never inline styles. Each chart has a <title> and an aria-label; the page that
shows it also shows the table behind it.
"""

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

SERIES_CLASSES = 6
FONT_WIDTH = 7  # Rough width of a character of the chart font, in viewBox units.


def n(value):
    """A coordinate written briefly: 12.5, 3 (not 3.0)."""
    return f"{value:.1f}".removesuffix(".0")


def series_class(index):
    return f"series-{index % SERIES_CLASSES + 1}"


def nice_step(largest, ticks=4):
    """A round step (1, 2, 5 × 10^k) giving about `ticks` gridlines up to `largest`."""
    if largest <= ticks:
        return 1
    raw = largest / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= raw)


def shorten(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def svg(width, height, label, body, *, css="chart", chart_id="chart", links=False, top=0):
    """The <svg> element around `body`, named by its <title> for assistive technology.

    A chart without links is one image (role="img"); one whose marks are links stays a group,
    so that the links remain reachable. `top` is the first y coordinate shown.
    """
    role = "group" if links else "img"
    return format_html(
        '<svg class="{css}" viewBox="0 {top} {width} {height}" width="{width}" '
        'height="{height}" role="{role}" aria-labelledby="{id}-title">'
        '<title id="{id}-title">{label}</title>{body}</svg>',
        css=css,
        top=n(top),
        width=width,
        height=n(height),
        role=role,
        id=chart_id,
        label=label,
        body=body,
    )


def y_axis(largest, top, bottom, left, right):
    """Horizontal gridlines with their values at the left, for values 0..`largest`."""
    step = nice_step(largest)
    top_value = max(step, math.ceil(largest / step) * step)
    lines = []
    for value in range(0, top_value + 1, step):
        y = bottom - (bottom - top) * value / top_value
        lines.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
                '<text class="axis-label" x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                right,
                n(y),
                n(y),
                left - 6,
                n(y + 4),
                value,
            )
        )
    return mark_safe("".join(lines)), top_value


def records(count):
    return ngettext("record", "records", count)


def stacked_bars(label, categories, series, *, chart_id="chart", unit=records):
    """Vertical bars, one per category (a year), stacked by series.

    `series` is a list of (name, values) with one value per category; `unit` gives the noun of
    a count in the reader's language (ngettext).
    """
    width, height = 640, 300
    left, right, top, bottom = 44, 630, 12, 262
    totals = [sum(values[i] for _, values in series) for i in range(len(categories))]
    grid, top_value = y_axis(max(totals, default=0), top, bottom, left, right)
    band = (right - left) / max(len(categories), 1)
    bar = max(band * 0.72, 1)
    label_every = max(1, math.ceil(len(categories) * 36 / (right - left)))
    marks = []
    for i, category in enumerate(categories):
        x = left + band * i + (band - bar) / 2
        y = bottom
        for index, (name, values) in enumerate(series):
            value = values[i]
            if not value:
                continue
            h = (bottom - top) * value / top_value
            y -= h
            noun = unit(value)
            marks.append(
                format_html(
                    '<rect class="bar {}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {} {} ({})</title></rect>",
                    series_class(index),
                    n(x),
                    n(y),
                    n(bar),
                    n(h),
                    category,
                    value,
                    noun,
                    name,
                )
            )
        if i % label_every == 0:
            marks.append(
                format_html(
                    '<text class="axis-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                    n(x + bar / 2),
                    bottom + 18,
                    category,
                )
            )
    axis = format_html(
        '<line class="axis" x1="{}" x2="{}" y1="{}" y2="{}"></line>', left, right, bottom, bottom
    )
    body = grid + mark_safe("".join(marks)) + axis
    return svg(width, height, label, body, chart_id=chart_id)


def horizontal_bars(label, rows, series_names, *, chart_id="chart"):
    """One row per item, bars stacked by series; the item's name links to its page.

    `rows` is a list of (name, href or None, values) with one value per series.
    """
    width, row_height, gutter, right = 640, 26, 190, 600
    height = row_height * len(rows) + 12
    largest = max((sum(values) for _, _, values in rows), default=0) or 1
    items = []
    for i, (name, href, values) in enumerate(rows):
        y = 6 + i * row_height
        text = format_html(
            '<text class="bar-label" x="{}" y="{}" text-anchor="end">{}</text>',
            gutter - 8,
            y + 16,
            shorten(name, 26),
        )
        if href:
            text = format_html('<a href="{}">{}<title>{}</title></a>', href, text, name)
        x = gutter
        bars = []
        for index, value in enumerate(values):
            if not value:
                continue
            w = (right - gutter) * value / largest
            bars.append(
                format_html(
                    '<rect class="bar {}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {} ({})</title></rect>",
                    series_class(index),
                    n(x),
                    y + 4,
                    n(w),
                    row_height - 8,
                    name,
                    value,
                    series_names[index],
                )
            )
            x += w
        total = format_html(
            '<text class="bar-value" x="{}" y="{}">{}</text>', n(x + 6), y + 16, sum(values)
        )
        items.append(text + mark_safe("".join(bars)) + total)
    return svg(width, height, label, mark_safe("".join(items)), chart_id=chart_id, links=True)


def network(label, centre, nodes, *, chart_id="network"):
    """A star: `centre` (name, href) in the middle, `nodes` (name, href, count) around it.

    The width of each edge grows with its count, from 1.5 to 9 units.
    """
    width, height, radius = 520, 400, 140
    cx, cy = width / 2, height / 2
    largest = max((count for _, _, count in nodes), default=1)
    edges, marks, ys = [], [], [cy]
    for i, (name, href, count) in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / len(nodes)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        ys.append(y)
        stroke = 1.5 + 7.5 * (count / largest)
        edges.append(
            format_html(
                '<line class="edge" x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="{}">'
                "<title>{}: {} shared meeting{}</title></line>",
                n(cx),
                n(cy),
                n(x),
                n(y),
                n(stroke),
                name,
                count,
                "" if count == 1 else "s",
            )
        )
        right_side = math.cos(angle) > 0.2
        left_side = math.cos(angle) < -0.2
        anchor = "start" if right_side else "end" if left_side else "middle"
        dx = 12 if right_side else -12 if left_side else 0
        dy = 4 if right_side or left_side else (-14 if math.sin(angle) < 0 else 22)
        marks.append(
            format_html(
                '<a href="{}"><title>{}: {} shared meeting{}</title>'
                '<circle class="node" cx="{}" cy="{}" r="7"></circle>'
                '<text class="node-label" x="{}" y="{}" text-anchor="{}">{} ({})</text></a>',
                href,
                name,
                count,
                "" if count == 1 else "s",
                n(x),
                n(y),
                n(x + dx),
                n(y + dy),
                anchor,
                shorten(name, 22),
                count,
            )
        )
    name, href = centre
    marks.append(
        format_html(
            '<a href="{}"><title>{}</title><circle class="node node-centre" cx="{}" cy="{}" '
            'r="11"></circle><text class="node-label node-centre-label" x="{}" y="{}" '
            'text-anchor="middle">{}</text></a>',
            href,
            name,
            n(cx),
            n(cy),
            n(cx),
            n(cy + 28),
            shorten(name, 30),
        )
    )
    body = mark_safe("".join(edges) + "".join(marks))
    # Show only the part of the drawing in use: a star of one or two nodes is not a circle.
    top, bottom = min(ys) - 30, max(max(ys) + 34, cy + 40)
    return svg(
        width,
        bottom - top,
        label,
        body,
        css="chart chart-network",
        chart_id=chart_id,
        links=True,
        top=top,
    )


# The timeline.

TIMELINE_WIDTH = 960
TIMELINE_GUTTER = 150
TIMELINE_RIGHT = 945
ROW_HEIGHT = 16
MARK_HEIGHT = 11
MIN_MARK_WIDTH = 7
MAX_ROWS = 24


def timeline(label, window, lanes, ticks, *, chart_id="timeline"):
    """Lanes of marks on one time axis.

    `window` has `start` and `end` (dates, inclusive); `lanes` is a list of (name, marks), each
    mark having `start`, `end` (inclusive), `rough`, `href` and `description`; `ticks` is a list
    of (date, label, major). A mark is drawn from the first to the last day it may cover: an
    exact day as a short solid bar, a period known only to the month, season or year as a long
    dashed span over the whole period.
    """
    days = (window.end - window.start).days + 1
    scale = (TIMELINE_RIGHT - TIMELINE_GUTTER) / days

    def x_of(day):
        offset = min(max((day - window.start).days, 0), days)
        return TIMELINE_GUTTER + offset * scale

    top = 30
    parts = []
    lane_tops = []
    y = top
    for name, marks in lanes:
        rows_end = []  # Right edge of the last mark in each row.
        drawn = []
        for mark in marks:
            x1 = x_of(mark.start)
            x2 = max(x_of(mark.end) + scale, x1 + MIN_MARK_WIDTH)
            if x1 + MIN_MARK_WIDTH > TIMELINE_RIGHT:
                x1 = TIMELINE_RIGHT - MIN_MARK_WIDTH
            row = next((r for r, end in enumerate(rows_end) if end + 2 <= x1), None)
            if row is None:
                if len(rows_end) < MAX_ROWS:
                    rows_end.append(0)
                row = len(rows_end) - 1
            rows_end[row] = max(rows_end[row], x2)
            drawn.append((mark, x1, min(x2, TIMELINE_RIGHT), row))
        lane_height = max(len(rows_end) * ROW_HEIGHT + 14, 46)
        lane_tops.append((name, y, lane_height, len(marks)))
        for mark, x1, x2, row in drawn:
            kind = "mark-rough" if mark.rough else "mark-day"
            parts.append(
                format_html(
                    '<a href="{}" class="mark-link"><title>{}</title>'
                    '<rect class="mark {} {}" x="{}" y="{}" width="{}" height="{}" rx="{}">'
                    "</rect></a>",
                    mark.href,
                    mark.description,
                    kind,
                    mark.css,
                    n(x1),
                    n(y + 7 + row * ROW_HEIGHT),
                    n(x2 - x1),
                    MARK_HEIGHT,
                    1 if mark.rough else 3,
                )
            )
        y += lane_height
    height = y + 8
    backdrop = []
    for i, (name, lane_top, lane_height, count) in enumerate(lane_tops):
        backdrop.append(
            format_html(
                '<rect class="lane {}" x="0" y="{}" width="{}" height="{}"></rect>'
                '<text class="lane-label" x="8" y="{}">{}</text>'
                '<text class="lane-count" x="8" y="{}">{}</text>',
                "lane-odd" if i % 2 else "lane-even",
                lane_top,
                TIMELINE_WIDTH,
                lane_height,
                lane_top + 18,
                name,
                lane_top + 34,
                gettext("{count} in view").format(count=count),
            )
        )
    for day, text, major in ticks:
        x = x_of(day)
        backdrop.append(
            format_html(
                '<line class="{}" x1="{}" x2="{}" y1="{}" y2="{}"></line>',
                "tick-major" if major else "tick-minor",
                n(x),
                n(x),
                top - (6 if major else 3),
                height - 8,
            )
        )
        if text:
            backdrop.append(
                format_html(
                    '<text class="axis-label" x="{}" y="{}">{}</text>', n(x + 3), top - 10, text
                )
            )
    body = mark_safe("".join(backdrop) + "".join(parts))
    return svg(
        TIMELINE_WIDTH,
        height,
        label,
        body,
        css="chart chart-timeline",
        chart_id=chart_id,
        links=True,
    )


def legend(names):
    """An HTML list of swatches for the series of a chart."""
    return format_html(
        '<ul class="legend">{}</ul>',
        format_html_join(
            "",
            '<li><span class="swatch {}" aria-hidden="true"></span>{}</li>',
            ((series_class(i), name) for i, name in enumerate(names)),
        ),
    )
