"""Sandboxes of Alibaba Cloud SMS (Dysmsapi SendSms, ACS3-HMAC-SHA256) and Tencent Cloud SMS (TC3).

Both verify signatures with ``sandbox.faceapis.signatures`` (the same checks the face sandboxes
make), keep every message they accepted and show them on a page (``GET /``), and can be told to
fail the next requests with a given error code (``POST /_sandbox/fail`` or ``fail_next()``).
"""
