"""Xueshi guarded video XBlock: anti-skip playback whose study time the server credits."""

__version__ = "0.1.0"
