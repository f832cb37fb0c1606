"""A protocol-faithful WeChat Pay API v3 sandbox on loopback, for tests and ``make sandbox``.

It generates its own keys into ``var/wechatpay-sandbox`` (merchant API key and certificate,
platform certificate, WeChat Pay public key, APIv3 key), verifies merchant request signatures
(WECHATPAY2-SHA256-RSA2048), signs its replies, serves Native/JSAPI/H5 prepay, query, close,
refunds, ``/v3/certificates`` and trade bills (SHA1-hashed, unsigned download), shows a payer page
with a 确认支付 button at ``/pay/<code or prepay id>``, and sends signed, AES-256-GCM-encrypted
notices on WeChat Pay's retry schedule. ``/sandbox/`` lists what it received; ``/sandbox/control``
fails, delays, duplicates, reorders or loses notices. Run it with ``python -m sandbox.wechatpay``.
"""
