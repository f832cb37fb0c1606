"""Sandbox stand-in for the edx-platform package of this name (see sandbox/platform_stubs/README.md)."""
