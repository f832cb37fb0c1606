"""Demo videos for the sandbox, generated with ffmpeg (the video work fills this in)."""

from __future__ import annotations

from pathlib import Path


def ensure_demo_media(target: Path) -> list[str]:
    """Make sure the demo media exist under ``target``; return lines describing what was done."""
    target.mkdir(parents=True, exist_ok=True)
    return [f"demo media folder: {target}"]
