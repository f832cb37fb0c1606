"""Provincial reporting: canonical records, the outbox, adapters, register checks, the sharing API."""
