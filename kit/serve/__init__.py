"""Running a live workshop: `kit serve` and the facilitator's room panel.

* :mod:`kit.serve.server` builds and runs the two servers (JupyterLab for the facilitator,
  the kit.room process for participants), each behind its own token;
* :mod:`kit.serve.panel` is what facilitator.ipynb calls: who joined, votes, notes, controls.
"""
from __future__ import annotations

from ..netutil import lan_address
from ..tokens import check as check_token
from .server import ServeConfig, ServeError, Supervisor, new_token

__all__ = ["Supervisor", "ServeConfig", "ServeError", "check_token", "lan_address", "new_token"]
