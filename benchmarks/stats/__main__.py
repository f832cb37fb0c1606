"""``python -m benchmarks.stats``."""

import sys

from .run import main

sys.exit(main())
