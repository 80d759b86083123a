"""Personal data out of what others read: interviewees' real names and redacted words, in one place.

Why a low-layer module: the report (kit.report.privacy) and the participant room both show what
interviewees said, and both must follow the same rules: real names become pseudonyms (a surname
alone too), redacted words a visible marker. The report scrubs a protected copy of the whole
workshop; the room scrubs the quotes a participant's page receives (:func:`for_participants`),
with the redaction words the facilitator set for the room (live key :data:`REDACT_KEY`).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from . import i18n

#: Live key: the words the room blacks out in what participants read (the facilitator sets them).
REDACT_KEY = "redact_words"

Scrub = Callable[[str], str]


def marker(language: str) -> str:
    """The visible text that stands where a redacted word was."""
    return i18n.t("report.redacted", language)


def scrubber(doc: dict[str, Any], *, include_names: bool, redact: Iterable[str], language: str) -> Scrub:
    """A function that makes one text safe: real names -> pseudonyms, redacted words -> marker.

    One regular expression for everything (longest first, case-insensitive), so scrubbing
    stays linear in the text however many interviewees there are."""
    wanted: dict[str, tuple[str, bool]] = {}  # literal -> (replacement, whole word only)
    if not include_names:
        for interview in doc.get("interviews", []):
            name = (interview.get("real_name") or "").strip()
            if not name:
                continue
            wanted.setdefault(name, (interview["pseudonym"], False))
            surname = name.split()[-1]
            if len(surname) >= 3 and surname != name:
                wanted.setdefault(surname, (interview["pseudonym"], True))
    mark = marker(language)
    for word in redact:
        if word and word.strip():
            wanted[word.strip()] = (mark, False)
    if not wanted:
        return lambda text: text
    literals = sorted(wanted, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" if wanted[w][1] else re.escape(w)
                                  for w in literals), re.IGNORECASE)
    by_key = {w.lower(): r for w, (r, _) in wanted.items()}

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if found.lower() in by_key:
            return by_key[found.lower()]
        return next(wanted[w][0] for w in literals if re.fullmatch(re.escape(w), found, re.IGNORECASE))

    return lambda text: pattern.sub(replace, text)


def scrub_value(value: Any, scrub: Scrub) -> Any:
    """Apply ``scrub`` to every text inside lists and mappings (keys too: personas, voters)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [scrub_value(v, scrub) for v in value]
    if isinstance(value, dict):
        return {scrub_value(k, scrub): scrub_value(v, scrub) for k, v in value.items()}
    return value


def for_participants(interviews: Iterable[Mapping[str, Any]], live: Mapping[str, Any], language: str) -> Scrub:
    """The scrub for what participants read: real names never shown, the room's redaction words marked."""
    words = live.get(REDACT_KEY) or []
    return scrubber({"interviews": list(interviews)}, include_names=False,
                    redact=[w for w in words if isinstance(w, str)], language=language)
