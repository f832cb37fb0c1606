"""``python -m benchmarks.certificates``: see ``run.py``."""

import sys

from .run import main

sys.exit(main())
