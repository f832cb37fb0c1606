"""A sandbox of WeChat's official-account web authorisation (网页授权, ``snsapi_base``) on loopback.

JSAPI payments need the payer's openid under the paying appid; inside WeChat a site gets it by
sending the browser to ``open.weixin.qq.com/connect/oauth2/authorize`` (silently, for
``snsapi_base``), receiving ``?code=…&state=…`` on its ``redirect_uri``, and exchanging the code at
``api.weixin.qq.com/sns/oauth2/access_token``. This sandbox serves both paths with the real
parameters, error codes (40013 bad appid, 40125 bad secret, 40029 bad code, 40163 code used,
10003 redirect_uri not under the authorised domain) and lifetimes (a code: 5 minutes, once).
Each browser gets a stable openid through a cookie, as one WeChat user would.
"""
