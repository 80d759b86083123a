"""The small scored-interview fixture of the evidence-curve tests, worked out by hand once.

Anna: interview A says -2 and -1 about the first call (its own mean -1.5), interview B says 0 there;
Ben: interview D says +2 about the hotline; Cem: nobody. The team's hand-set estimates are the caller's.
"""
from __future__ import annotations

from typing import Any


def add_scored_interviews(ws: Any, quote: str, call_emotion: dict[str, int],
                          hotline_emotion: dict[str, int]) -> dict[str, int]:
    """Touchpoints ``call`` (contact) and ``hotline`` (service), interviews A, B (Anna) and D (Ben), four snippets;
    ``quote`` is A's first snippet (the hostile text a test shows). Returns the ids."""
    call = ws.touchpoints.add(stage="contact", name="First call", emotion=call_emotion)
    hotline = ws.touchpoints.add(stage="service", name="Hotline", emotion=hotline_emotion)
    a = ws.interviews.add(pseudonym="A", real_name="Sabine Kröger", segment="Anna")
    b = ws.interviews.add(pseudonym="B", segment="Anna")
    d = ws.interviews.add(pseudonym="D", segment="Ben")
    for interview, touchpoint, score, text in [(a, call, -2, quote), (a, call, -1, "slow"), (b, call, 0, "ok"),
                                               (d, hotline, 2, "great")]:
        ws.evidence.add(interview=interview, snippet=text, stance="new_insight", touchpoint=touchpoint,
                        experience=score)
    return {"call": call, "hotline": hotline, "a": a, "b": b, "d": d}
