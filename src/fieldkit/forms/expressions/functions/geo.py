"""Geographic functions on ODK geopoints: distance() and area()."""

from __future__ import annotations

import itertools
import math

from fieldkit.forms.expressions.functions.registry import strict
from fieldkit.forms.expressions.values import NAN, NodeSet, Value, string_to_number, to_string

EARTH_RADIUS_M = 6378100.0  # the equatorial radius ODK clients use


def _points(v: Value) -> list[tuple[float, float]] | None:
    """Geopoints "lat lon [alt acc]" from a node-set of geopoints or a geoshape/geotrace."""
    texts = [to_string(x) for x in v] if isinstance(v, NodeSet) else to_string(v).split(";")
    points = []
    for text in texts:
        parts = text.split()
        if not parts:
            continue
        if len(parts) < 2:
            return None
        lat, lon = string_to_number(parts[0]), string_to_number(parts[1])
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None
        points.append((math.radians(lat), math.radians(lon)))
    return points


@strict("distance", 1)
def _distance(v: Value) -> Value:
    points = _points(v)
    if points is None:
        return NAN
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
        h = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        total += 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))
    return total


@strict("area", 1)
def _area(v: Value) -> Value:
    # The spherical polygon's area from the polar triangles of its edges (as ODK clients do).
    points = _points(v)
    if points is None:
        return NAN
    if len(points) < 3:
        return 0.0
    total = 0.0
    prev_lat, prev_lon = points[-1]
    prev_tan = math.tan((math.pi / 2 - prev_lat) / 2)
    for lat, lon in points:
        tan = math.tan((math.pi / 2 - lat) / 2)
        t = tan * prev_tan
        d = lon - prev_lon
        total += 2 * math.atan2(t * math.sin(d), 1 + t * math.cos(d))
        prev_tan, prev_lon = tan, lon
    return abs(total * EARTH_RADIUS_M**2)
