"""A sandbox of Nuonuo's open platform (诺诺开放平台, 诺税通 数电) on loopback, for tests and development.

It answers ``/accessToken`` (client credentials, with the 50-calls-per-30-days cap, lowerable by a
control) and ``/open/v1/services`` calls checked the way Nuonuo checks them: known ``appkey``, a
valid ``accessToken``, and ``X-Nuonuo-Sign`` = Base64(HMAC-SHA1(appSecret, "a=services&l=v1&p=open&
k=…&i=senid&n=nonce&t=timestamp&f=body")). Issuing is asynchronous: ``requestBillingNew`` accepts,
a timer finishes the invoice (20-digit number, PDF rendered with WeasyPrint, an XML, and an OFD
placeholder zip) and POSTs the result to ``callBackUrl``; ``queryInvoiceResult`` answers by serial
or order number; a repeated order number answers ``E9106``. Red confirmation forms
(``saveInvoiceRedConfirm``) are confirmed at once (the buyer has not booked the invoice) and
``fastInvoiceRed`` issues the red invoice the same way. ``getCertificationStatus`` reports the tax
clerk's login. Controls (``/sandbox/controls``, JSON) fail calls, take the service down, delay
issuing, log the clerk out, expire tokens and lose callbacks; ``/sandbox/`` lists every call.
Run it by hand with ``python -m sandbox.nuonuo [--port N]``.
"""
