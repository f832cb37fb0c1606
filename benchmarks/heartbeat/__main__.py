"""``python -m benchmarks.heartbeat``: see ``run.py``."""

import sys

from .run import main

sys.exit(main())
