"""The shared provider token: one fetch for many racing workers, renewed once when it expires,
and a wrong app secret refused by the sandbox's signature check."""

from __future__ import annotations

import threading

import pytest

from xueshi_invoices.providers.nuonuo import NuonuoClient

QUERY = "nuonuo.OpeMplatform.getCertificationStatus"


@pytest.mark.django_db
def test_racing_workers_fetch_one_token_and_renew_once(nuonuo) -> None:
    tokens: list[str] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        tokens.append(NuonuoClient().token())

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(tokens)) == 1 and nuonuo.platform.token_calls == 1
    nuonuo.platform.expire_tokens()  # the platform forgot it (expired early)
    assert NuonuoClient().call(QUERY, {}).code == "E0000"
    assert nuonuo.platform.token_calls == 2
    assert [c.code for c in nuonuo.platform.calls if c.method == QUERY] == ["070301", "E0000"]


@pytest.mark.django_db
def test_cap_reached_and_forged_signature(nuonuo, settings) -> None:
    nuonuo.platform.controls.token_cap = 0
    with pytest.raises(Exception, match="070314"):
        NuonuoClient().token()
    nuonuo.platform.controls.token_cap = 5
    settings.XUESHI_INVOICES_NUONUO_APP_SECRET = "forged-secret"
    client = NuonuoClient()
    client.redis.set(client.token_key, next(iter(nuonuo.platform.tokens), "") or "x")
    assert client.call(QUERY, {}).code == "070303"
