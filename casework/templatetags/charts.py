"""Charts drawn by the server: bars and a line as inline SVG/CSS, numbers always beside them."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.9345 → "93.5%"; None → "—" (nothing was due)."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def share(value, total) -> float:
    """``value`` as a percentage of ``total`` (for bar widths), 0 when there is no total."""
    try:
        return round(100 * float(value) / float(total), 1) if total else 0.0
    except (TypeError, ValueError):
        return 0.0


def line_points(values: list[float | None], *, width: int, height: int, pad: int = 8) -> str:
    """SVG polyline points for fractions 0–1; a missing value breaks nothing, it is skipped."""
    if not values:
        return ""
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points = []
    for i, value in enumerate(values):
        if value is None:
            continue
        x = pad + i * step
        y = pad + (1 - value) * (height - 2 * pad)
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)


@register.inclusion_tag("casework/_line_chart.html")
def line_chart(series: list[dict], rate: str, label: str, width: int = 320, height: int = 120):
    values = [row["rates"][rate] for row in series]
    return {
        "points": line_points(values, width=width, height=height),
        "labels": [row["month"] for row in series],
        "values": values,
        "label": label,
        "width": width,
        "height": height,
    }
