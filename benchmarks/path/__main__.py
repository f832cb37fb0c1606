"""``python -m benchmarks.path``: see ``run.py``."""

import sys

from .run import main

sys.exit(main())
