"""Charts drawn on the server as inline SVG (docs/frontend.md, "Charts"): no JavaScript, no
style attributes or elements (the Content-Security-Policy allows neither), only SVG's
presentation attributes. Each chart is an image with a title and a description
(`role="img"`, `aria-labelledby`), and the page follows it with a table of the same figures:
the chart is a picture of the table, never the only place a number is.

Colours are GOV.UK's, each at least 3:1 against white (WCAG 1.4.11); the council is told
apart by its bar's colour and by its label and a marker in text (never by colour alone).

Why not a library: pygal writes a <script> and <style> into each chart, which the CSP
refuses; matplotlib draws text as paths (no text for a screen reader or a search) and is a
large dependency for two kinds of chart."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

BLUE = "#1d70b8"
BLACK = "#0b0c0c"
GREY = "#505a5f"

WIDTH = 640
LEFT = 190  # room for council names
RIGHT = 60
BAR = 20
GAP = 6


def _f(coordinate: float) -> str:
    """A coordinate to one decimal place (format_html escapes its arguments first, so
    numbers are written before they go in)."""
    return f"{coordinate:.1f}"


def _number(value: Decimal | None, decimals: int) -> str:
    if value is None:
        return ""
    return f"{value:.{decimals}f}"


def neighbours_bars(
    *, chart_id: str, title: str, rows, decimals: int, description: str
) -> SafeString:
    """Horizontal bars, one per council (`rows`: (name, value or None, is_the_council)),
    in the order given; a suppressed figure shows "not published" instead of a bar."""
    rows = list(rows)
    top = max((value for _, value, _ in rows if value is not None), default=Decimal(0))
    scale = (WIDTH - LEFT - RIGHT) / float(top) if top else 0
    height = len(rows) * (BAR + GAP) + GAP
    bars = []
    for index, (name, value, is_council) in enumerate(rows):
        y = GAP + index * (BAR + GAP)
        label = f"{name} (this council)" if is_council else name
        bars.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="14" fill="{}"{}>{}</text>',
                LEFT - 8,
                y + BAR - 5,
                BLACK,
                mark_safe(' font-weight="bold"') if is_council else "",
                label,
            )
        )
        if value is None:
            bars.append(
                format_html(
                    '<text x="{}" y="{}" font-size="14" fill="{}">not published</text>',
                    LEFT,
                    y + BAR - 5,
                    GREY,
                )
            )
            continue
        length = max(1.0, float(value) * scale)
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="14" fill="{}">{}</text>',
                LEFT,
                y,
                _f(length),
                BAR,
                BLACK if is_council else BLUE,
                _f(LEFT + length + 6),
                y + BAR - 5,
                BLACK,
                _number(value, decimals),
            )
        )
    return _svg(chart_id, title, description, height, _joined(bars))


def series_lines(
    *, chart_id: str, title: str, periods: list[str], lines, decimals: int, description: str
) -> SafeString:
    """A line per series (`lines`: (label, [value or None per period], dashed)), over the
    periods; a gap where a figure is not published. The last figure of each line is written
    at its end with the line's label."""
    lines = [(label, values, dashed) for label, values, dashed in lines]
    values = [v for _, vs, _ in lines for v in vs if v is not None]
    if not periods or not values:
        return SafeString("")
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    low = min(low, Decimal(0)) if low >= 0 and low < (high - low) else low
    height, top, bottom, left, right = 260, 20, 40, 60, 170
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    step = plot_w / max(1, len(periods) - 1)

    def x(index: int) -> float:
        return left + index * step

    def y(value: Decimal) -> float:
        return top + plot_h * (1 - float((value - low) / (high - low)))

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"></line>',
            left,
            top + plot_h,
            left + plot_w,
            top + plot_h,
            GREY,
        ),
        format_html(
            '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="{}">{}</text>'
            '<text x="{}" y="{}" text-anchor="end" font-size="13" fill="{}">{}</text>',
            left - 6,
            _f(y(high) + 4),
            GREY,
            _number(high, decimals),
            left - 6,
            _f(y(low) + 4),
            GREY,
            _number(low, decimals),
        ),
    ]
    shown = {0, len(periods) - 1} | set(range(0, len(periods), max(1, len(periods) // 6)))
    parts += [
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="{}">{}</text>',
            _f(x(index)),
            height - 14,
            GREY,
            period,
        )
        for index, period in enumerate(periods)
        if index in shown
    ]
    colours = [BLACK, BLUE, GREY]
    for number, (label, series, dashed) in enumerate(lines):
        colour = colours[number % len(colours)]
        segments, current = [], []
        for index, value in enumerate(series):
            if value is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x(index):.1f},{y(value):.1f}")
        if current:
            segments.append(current)
        parts += [
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="{}"{}></polyline>',
                " ".join(segment),
                colour,
                3 if number == 0 else 2,
                mark_safe(' stroke-dasharray="6 4"') if dashed else "",
            )
            for segment in segments
        ]
        last = next(((i, v) for i, v in reversed(list(enumerate(series))) if v is not None), None)
        if last is not None:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="4" fill="{}"></circle>'
                    '<text x="{}" y="{}" font-size="13" fill="{}">{} {}</text>',
                    _f(x(last[0])),
                    _f(y(last[1])),
                    colour,
                    _f(x(last[0]) + 8),
                    _f(y(last[1]) + 4 + 14 * (number - 1)),  # lines ending close apart
                    BLACK,
                    label,
                    _number(last[1], decimals),
                )
            )
    return _svg(chart_id, title, description, height, _joined(parts))


def _svg(chart_id, title, description, height, body) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="pc-chart" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="{}-title {}-desc" focusable="false" '
        'font-family="Arial, Helvetica, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def _joined(parts) -> SafeString:
    """Pieces each made by format_html (so already escaped), as one."""
    return format_html_join("", "{}", ((part,) for part in parts))
