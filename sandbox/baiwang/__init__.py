"""A sandbox of Baiwang's open platform (百望云 开放平台, 数电) on loopback, for tests and development.

It answers ``POST /router/rest`` with the envelope the public SDKs send (``method, token, format,
type, timestamp, appKey, version, orgId, sign, data``), checked as the platform does: known
``appKey``, ``format=json``, ``version=6.0``, a millisecond timestamp within ten minutes, the
uppercase MD5 signature, and a valid token for every method but ``baiwang.oauth.token``. The
bureau behind it is the Nuonuo sandbox's ``Platform`` (numbers, lines checked with the 0.06
tolerance, asynchronous issuing, red forms, rendered PDF/OFD/XML, controls): only the protocol
differs, so it is not written twice (ADR 0371). Run it by hand with ``python -m sandbox.baiwang``.
"""
