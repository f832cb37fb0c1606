"""``python -m benchmarks.reporting``: see ``run.py``."""

import sys

from .run import main

sys.exit(main())
