"""Baiwang's MD5 envelope signature: the adapter's signer agrees with the sandbox's, written apart."""

from __future__ import annotations

import hashlib

from sandbox.baiwang.server import expected_sign
from xueshi_invoices.providers.baiwang import sign


def test_sign_sorted_non_empty_values_then_data_uppercase_md5() -> None:
    envelope = {"method": "baiwang.output.invoice.query", "token": "", "appKey": "k1", "version": "6.0"}
    data = {"serialNo": "XS1", "buyerName": "钱学员/个人"}
    pairs = "appKeyk1methodbaiwang.output.invoice.queryversion6.0"  # sorted; the empty token left out
    text = "sk1" + pairs + '{"serialNo":"XS1","buyerName":"钱学员/个人"}' + "sk1"
    want = hashlib.md5(text.encode(), usedforsecurity=False).hexdigest().upper()
    assert sign("sk1", envelope, data) == want
    assert expected_sign("sk1", {**envelope, "data": data, "sign": "ignored"}) == want
    assert sign("sk1", envelope, {**data, "buyerName": "钱学员"}) != want
