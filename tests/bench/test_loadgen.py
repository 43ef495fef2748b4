"""The load generator's reading of wrk's output (its units, and the "-nanus" it
sometimes prints instead of a percentile, which must never reach the table)."""

from __future__ import annotations

import math

from bench.loadgen import _wrk_ms


def test_wrk_units_are_read_in_milliseconds() -> None:
    assert [_wrk_ms(t) for t in ("74.30ms", "812.00us", "1.20s", "1.01m")] == [74.3, 0.812, 1200.0, 60600.0]


def test_what_is_no_latency_is_nan() -> None:
    assert math.isnan(_wrk_ms("-nanus")) and math.isnan(_wrk_ms("12.0xs"))
