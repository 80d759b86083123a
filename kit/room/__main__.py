"""``python -m kit.room``: run the participant room (see kit.room for the options)."""
from __future__ import annotations

import sys

from .app import main

sys.exit(main())
