"""A protocol-faithful sandbox of Alipay's OpenAPI gateway (``gateway.do``), for tests and development.

It checks every request's RSA2 signature with the merchant's app public key the way Alipay does,
shows the payer a cashier page with a "确认付款" button for ``alipay.trade.page.pay`` and
``alipay.trade.wap.pay``, answers query, close, refund, refund query and bill URL calls in
Alipay's reply shape (signed ``<method>_response``), sends signed asynchronous notices with
Alipay's retry schedule until the merchant answers ``success``, and serves daily bills as a zip
of GBK CSV files. Its own "Alipay" key pair is generated at run time into ``var/``. Controls make
it fail calls, delay, duplicate or lose notices and plant bill lines; ``/sandbox/`` lists what it
received. Run it by hand with ``python -m sandbox.alipay [--port N]``.
"""
