"""Plugin settings layers of ``xueshi_payments``."""
