"""Xueshi study-time ledger: server-credited playback time, the spine of hours and reports."""
