"""A provincial platform sandbox: receives signed record pushes (schema ``xueshi-report/1``) on loopback.

It verifies signatures as a province would (HMAC-SHA256, HMAC-SM3 or SM2, SM4-sealed bodies),
stores records keyed by idempotency key, and can be told to fail, time out, answer slowly, ack
twice, lose or forge an ack, or reject learners, so tests can prove exactly-once delivery.
"""
