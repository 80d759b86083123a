"""Load, bounded and on loopback only: 30 participant processes x 20 notes, one live observer.

The minute-long version is `make bench` (benchmarks/bench_serve.py); here the same room is
compressed into ~10 s so CI stays fast. Nothing may be lost or duplicated.
"""
from __future__ import annotations

import pytest

import kit
import loadtest


@pytest.mark.slow
def test_thirty_participants_lose_nothing(tmp_path, artifacts):
    path = tmp_path / "load.workshop"
    kit.new(path, title="Load", language="en", actor="fac").close()
    result = loadtest.run(path, participants=30, notes=20, seconds=10)
    assert result.lost == [] and result.duplicated == []
    assert result.stored == result.unique == 600
    assert len(result.propagation) == 600  # the observer saw every note through the live poll
    (artifacts / "serve").mkdir(parents=True, exist_ok=True)
    (artifacts / "serve" / "load.txt").write_text(
        f"30 participants x 20 notes in 10 s: stored {result.stored}, "
        f"p50 {result.p50:.3f} s, p95 {result.p95:.3f} s, max {max(result.propagation):.3f} s\n")
    print(f"propagation p50 {result.p50:.3f} s, p95 {result.p95:.3f} s")
    assert result.p95 < 2.0  # the room's promise: a note shows everywhere within 2 s
