"""Version of the plugin; it matches the openedx-xueshi release it installs by default."""

__version__ = "0.1.0"
