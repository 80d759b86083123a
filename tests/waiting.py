"""Waiting for a state that offers no event to await: a server coming up, a line in a log, a REST resource.

Shared by tests/ and tests/ui/. Browser pages use Playwright's ``expect``/``wait_for_*`` instead;
ports come from ``kit.netutil.free_port`` (the operating system picks), never fixed numbers.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float, what: str, interval: float = 0.05) -> T:
    """Poll ``condition`` until it returns something truthy and return that; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
