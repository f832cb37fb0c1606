"""Filters that this plugin declares, so that other Tutor plugins can extend Xueshi.

They live here rather than in ``plugin.py`` for the reason tutor-mfe gives in its own
``hooks.py``: a filter created in a plugin module is bound to whichever plugin context
imported it first, and would vanish when that plugin is disabled.
"""

from __future__ import annotations

from tutor.core.hooks.filters import Filter

#: Open edX filter pipeline steps to merge into ``OPEN_EDX_FILTERS_CONFIG`` in the LMS.
#: Items are ``(filter_type, step_path, fail_silently)``; the rendered settings
#: append each step once to whatever pipeline is already configured for that type.
FILTER_STEPS: Filter[list[tuple[str, str, bool]], []] = Filter()
