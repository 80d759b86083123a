"""Running a live workshop: `kit serve`, the participant page, the facilitator's room panel.

* :mod:`kit.serve.server` builds and runs the two servers (JupyterLab for the facilitator,
  Voilà for participants), each behind its own token;
* :mod:`kit.serve.participant` is the page Voilà renders (join, then follow the room);
* :mod:`kit.serve.room` is what facilitator.ipynb calls: who joined, votes, notes, controls;
* :mod:`kit.serve.kernels` caps and culls participant kernels.
"""
from __future__ import annotations

from .server import Culling, Room, ServeConfig, ServeError, check_token, lan_address, new_token

__all__ = ["Culling", "Room", "ServeConfig", "ServeError", "check_token", "lan_address", "new_token"]
