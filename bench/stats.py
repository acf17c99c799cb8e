"""Small statistics for the benchmark tables: median with min-max, percentiles."""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    median: float
    low: float
    high: float
    n: int

    def text(self, unit: str = "", digits: int = 0, scale: float = 1.0) -> str:
        """'12 ms (10–15, n=7)': the median, then min–max and the number of runs."""
        def f(x: float) -> str:
            return f"{x * scale:,.{digits}f}"
        if self.n == 1:
            return f"{f(self.median)}{unit} (n=1)"
        return f"{f(self.median)}{unit} ({f(self.low)}–{f(self.high)}, n={self.n})"


def summary(values) -> Summary:
    """Median, minimum and maximum of the runs (at least one value)."""
    vals = [float(v) for v in values]
    if not vals:
        raise ValueError("no values to summarise")
    return Summary(statistics.median(vals), min(vals), max(vals), len(vals))


def percentile(values, q: float) -> float:
    """The q-th percentile (0-100), linear between the closest ranks (numpy's default)."""
    vals = sorted(float(v) for v in values)
    if not vals:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be between 0 and 100")
    pos = (len(vals) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)
