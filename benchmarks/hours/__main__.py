"""``python -m benchmarks.hours``: see ``run.py``."""

import sys

from .run import main

sys.exit(main())
