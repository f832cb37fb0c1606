"""The ``xueshi_video`` XBlock (skeleton; the full block replaces this)."""

from __future__ import annotations

from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Scope, String


class XueshiVideoBlock(XBlock):
    """A guarded video whose study time is credited by the server."""

    display_name = String(default="视频", scope=Scope.settings)

    def student_view(self, context: dict | None = None) -> Fragment:
        """Render the learner view."""
        return Fragment(f"<div class='xueshi-video'>{self.display_name}</div>")
