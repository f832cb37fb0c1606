"""An S3-compatible object store on loopback for tests: moto's S3 server behind a SigV4 gate (ADR 0326)."""
