"""``python -m kit`` is the ``kit`` command."""
from .cli import main

raise SystemExit(main())
