"""Text and distance measures for spotting duplicate requests. Plain functions, no ORM."""

from __future__ import annotations

import itertools
import math
import unicodedata


def _bigrams(text: str) -> set[str]:
    chars = [
        ch
        for ch in unicodedata.normalize("NFKC", text or "").lower()
        if ch.isalnum()  # Chinese characters, letters and digits; punctuation and spaces go
    ]
    if len(chars) < 2:
        return set(chars)
    return {a + b for a, b in itertools.pairwise(chars)}


def text_similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams, 0–1; works for Chinese without segmenting."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def degree_box(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """A latitude/longitude box around a point that contains the circle of ``radius_m``."""
    dlat = radius_m / 111_320
    dlng = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng
