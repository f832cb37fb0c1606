"""Adapters: how a batch of canonical records reaches one destination (signed JSON/HTTP, xlsx)."""
