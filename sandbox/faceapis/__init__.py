"""Protocol-faithful sandboxes of the two cloud face APIs Xueshi supports, for tests and development.

Each one is an HTTP server on loopback that checks requests the way the vendor does (the real
signature: TC3-HMAC-SHA256 for Tencent Cloud, ACS3-HMAC-SHA256 for Alibaba Cloud, with clock skew
and replay checks), answers in the vendor's reply format, and compares faces with Xueshi's local
engine (dlib). The official SDKs are pointed at them by the engines' ``ENDPOINT``/``PROTOCOL``
settings. Run one by hand with ``python -m sandbox.faceapis tencent|aliyun [--port N]``.
"""
