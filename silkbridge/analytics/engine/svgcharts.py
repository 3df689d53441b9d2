"""Charts as SVG text, drawn on the server (the monthly PDF report: WeasyPrint renders inline SVG).

Plain Python, no Django: labels come in already translated, numbers already counted. Every chart
prints its numbers beside its bars, and every series has a pattern as well as a colour, so colour is
never the only cue (a black-and-white print still reads). All text is escaped. For a right-to-left
language (`rtl=True`) the chart is mirrored: labels on the right, bars growing to the left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

Number = int | float
WIDTH = 640
ROW_HEIGHT = 22
BAR_HEIGHT = 14
LABEL_WIDTH = 190
VALUE_WIDTH = 70
LEGEND_HEIGHT = 20
FONT = "Noto Sans, Noto Sans CJK SC, Noto Naskh Arabic, sans-serif"
LABEL_CHARACTERS = 30

# Colour and pattern per series, in order: (fill colour, pattern drawn over it). Colours from the
# Okabe-Ito palette (distinguishable with colour-blindness), dark enough for white pattern lines.
STYLES: tuple[tuple[str, str], ...] = (
    ("#0072b2", "solid"),
    ("#d55e00", "diagonal"),
    ("#009e73", "dots"),
    ("#cc79a7", "cross"),
    ("#7a6a00", "horizontal"),
    ("#56589e", "vertical"),
    ("#8c510a", "backslash"),
)


@dataclass(frozen=True)
class Series:
    """One set of values, one per label (None: no value, nothing drawn)."""

    name: str
    values: Sequence[Number | None]


def number_text(value: Number) -> str:
    """A number as printed on a chart: thousands separated, a fraction with at most four digits."""
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def _text(value: str) -> str:
    return escape(value, quote=True)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


class _Canvas:
    """Coordinates in a left-to-right frame, mirrored on output for right-to-left charts."""

    def __init__(self, *, rtl: bool, id_prefix: str) -> None:
        self.rtl = rtl
        self.id_prefix = id_prefix
        self.parts: list[str] = []

    def x(self, x: float, width: float = 0.0) -> float:
        return round(WIDTH - x - width if self.rtl else x, 1)

    def anchor(self, anchor: str) -> str:
        if not self.rtl or anchor == "middle":
            return anchor
        return "end" if anchor == "start" else "start"

    def rect(self, x: float, y: float, width: float, height: float, fill: str, extra: str = "") -> None:
        self.parts.append(
            f'<rect x="{self.x(x, width)}" y="{round(y, 1)}" width="{round(width, 1)}" height="{round(height, 1)}" '
            f'fill="{fill}"{extra}/>'
        )

    def text(
        self, x: float, y: float, value: str, *, anchor: str = "start", size: float = 10, bold: bool = False
    ) -> None:
        # Anchors are physical (no `direction` attribute): mirrored here, while the text itself is
        # shaped right to left by the renderer from its script.
        weight = ' font-weight="bold"' if bold else ""
        self.parts.append(
            f'<text x="{self.x(x)}" y="{round(y, 1)}" text-anchor="{self.anchor(anchor)}" font-size="{size}"'
            f"{weight}>{_text(value)}</text>"
        )

    def fill(self, index: int) -> str:
        return f"url(#{self.id_prefix}-s{index % len(STYLES)})"


def _pattern(prefix: str, index: int) -> str:
    colour, kind = STYLES[index % len(STYLES)]
    lines = {
        "solid": "",
        "diagonal": '<path d="M0 8 L8 0" stroke="#fff" stroke-width="1.6"/>',
        "backslash": '<path d="M0 0 L8 8" stroke="#fff" stroke-width="1.6"/>',
        "dots": '<circle cx="4" cy="4" r="1.6" fill="#fff"/>',
        "cross": '<path d="M0 4 H8 M4 0 V8" stroke="#fff" stroke-width="1.2"/>',
        "horizontal": '<path d="M0 4 H8" stroke="#fff" stroke-width="1.6"/>',
        "vertical": '<path d="M4 0 V8" stroke="#fff" stroke-width="1.6"/>',
    }[kind]
    return (
        f'<pattern id="{prefix}-s{index % len(STYLES)}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{colour}"/>{lines}</pattern>'
    )


def _document(canvas: _Canvas, *, title: str, height: float, patterns: int) -> str:
    defs = "".join(_pattern(canvas.id_prefix, index) for index in range(min(patterns, len(STYLES))))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{round(height)}" '
        f'viewBox="0 0 {WIDTH} {round(height)}" role="img" font-family="{FONT}" class="chart">'
        f"<title>{_text(title)}</title><defs>{defs}</defs>{''.join(canvas.parts)}</svg>"
    )


def _legend(canvas: _Canvas, series: Sequence[Series]) -> None:
    """One swatch (colour and pattern) and name per series, in a row above the bars."""
    x = 0.0
    step = WIDTH / max(len(series), 1)
    for index, one in enumerate(series):
        canvas.rect(x, 4, 12, 12, canvas.fill(index), ' stroke="#333" stroke-width="0.5"')
        canvas.text(x + 16, 14, _short(one.name)[:22], size=9)
        x += step


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    stacked: bool = True,
    rtl: bool = False,
    id_prefix: str = "chart",
    number: Callable[[Number], str] = number_text,
) -> str:
    """Horizontal bars, one row per label: one series as plain bars, several stacked in one bar per
    row (each part's number inside it where it fits, the row's total at its end) or, unstacked, one
    thin bar per series. Numbers print at each bar's end; a legend names the series."""
    canvas = _Canvas(rtl=rtl, id_prefix=id_prefix)
    top = LEGEND_HEIGHT + 4 if len(series) > 1 else 4
    if len(series) > 1:
        _legend(canvas, series)
    per_row = 1 if stacked or len(series) == 1 else len(series)
    row_height = ROW_HEIGHT if per_row == 1 else per_row * (BAR_HEIGHT - 4) + 8
    totals = [_row_total(series, row) for row in range(len(labels))]
    largest = max([*(_largest(series, row, stacked) for row in range(len(labels))), 0]) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    for row, label in enumerate(labels):
        y = top + row * row_height
        canvas.text(LABEL_WIDTH - 6, y + row_height / 2 + 4, _short(label), anchor="end")
        if stacked or len(series) == 1:
            x = float(LABEL_WIDTH)
            for index, one in enumerate(series):
                value = one.values[row] if row < len(one.values) else None
                if not value or value < 0:
                    continue
                width = span * value / largest
                canvas.rect(x, y + (row_height - BAR_HEIGHT) / 2, width, BAR_HEIGHT, canvas.fill(index))
                if len(series) > 1 and width >= 8 * len(number(value)) + 4:
                    canvas.parts.append(_inside_label(canvas, x + width / 2, y + row_height / 2 + 3.5, number(value)))
                x += width
            total = totals[row]
            if total is not None:
                canvas.text(x + 4, y + row_height / 2 + 4, number(total), bold=len(series) > 1)
        else:
            for index, one in enumerate(series):
                value = one.values[row] if row < len(one.values) else None
                bar_y = y + 4 + index * (BAR_HEIGHT - 4)
                width = span * (value or 0) / largest
                if value is not None and value > 0:
                    canvas.rect(LABEL_WIDTH, bar_y, width, BAR_HEIGHT - 5, canvas.fill(index))
                if value is not None:
                    canvas.text(LABEL_WIDTH + width + 4, bar_y + BAR_HEIGHT - 6, number(value), size=8)
    height = top + max(len(labels), 1) * row_height + 4
    return _document(canvas, title=title, height=height, patterns=len(series))


def _inside_label(canvas: _Canvas, x: float, y: float, value: str) -> str:
    # White on the bar, with a dark outline so it reads over the pattern's white lines as well.
    return (
        f'<text x="{canvas.x(x)}" y="{round(y, 1)}" text-anchor="middle" font-size="8" fill="#fff" '
        f'stroke="#000" stroke-width="0.3">{_text(value)}</text>'
    )


def _row_total(series: Sequence[Series], row: int) -> Number | None:
    values = [one.values[row] for one in series if row < len(one.values) and one.values[row] is not None]
    return sum(values) if values else None  # type: ignore[arg-type]


def _largest(series: Sequence[Series], row: int, stacked: bool) -> Number:
    values = [one.values[row] or 0 for one in series if row < len(one.values)]
    return sum(values) if stacked else max(values, default=0)


def funnel_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[Number | None],
    rtl: bool = False,
    id_prefix: str = "chart",
    number: Callable[[Number], str] = number_text,
) -> str:
    """A funnel: one centred bar per stage, as wide as its count, with the count and its share of the
    first stage printed beside it (the stages come in the order of the way through)."""
    canvas = _Canvas(rtl=rtl, id_prefix=id_prefix)
    first = next((value for value in values if value), None)
    largest = max([value or 0 for value in values] + [0]) or 1
    span = WIDTH - LABEL_WIDTH - 2 * VALUE_WIDTH
    centre = LABEL_WIDTH + VALUE_WIDTH + span / 2
    for row, label in enumerate(labels):
        value = values[row] if row < len(values) else None
        y = 4 + row * ROW_HEIGHT
        canvas.text(LABEL_WIDTH - 6, y + ROW_HEIGHT / 2 + 4, _short(label), anchor="end")
        if value is None:
            canvas.text(LABEL_WIDTH + 4, y + ROW_HEIGHT / 2 + 4, "–")
            continue
        width = max(span * value / largest, 1.0)
        canvas.rect(centre - width / 2, y + (ROW_HEIGHT - BAR_HEIGHT) / 2, width, BAR_HEIGHT, canvas.fill(row))
        share = f" ({round(100 * value / first)}%)" if first else ""
        canvas.text(centre + width / 2 + 4, y + ROW_HEIGHT / 2 + 4, number(value) + share)
    height = 4 + max(len(labels), 1) * ROW_HEIGHT + 4
    return _document(canvas, title=title, height=height, patterns=len(labels))
