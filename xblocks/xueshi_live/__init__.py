"""The ``xueshi_live`` XBlock: a scheduled live lesson (直播) whose attendance the ledger credits."""

__version__ = "0.1.0"
