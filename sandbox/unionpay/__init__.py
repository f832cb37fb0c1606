"""A protocol-faithful sandbox of UnionPay's online gateway (ACP 5.1.0), for tests and development.

It plays UnionPay: its own root CA, middle CA and signing certificate, and a demo merchant's PFX,
generated at run time into ``var/`` (never committed). It checks every request's ``certId`` and
signature against the merchant's certificate, shows a bank cashier for ``frontTransReq.do``
(consume) with a "确认支付" button, sends the browser back with an auto-submitted signed form,
posts signed notices to ``backUrl`` until the merchant answers HTTP 200 or 302, answers
``queryTrans.do`` and refunds (``backTransReq.do``, txnType 04) with signed replies carrying
``signPubKeyCert``, serves reconciliation files (``fileTransfer``), and lists what it received
at ``/sandbox/``. Controls make it fail calls, delay, duplicate or lose notices.
Run it by hand with ``python -m sandbox.unionpay [--port N]``.
"""
