"""The player follows the position the ledger kept (the heartbeat API's contract), in Chromium.

A beat that waited in a queue is clipped by the server: the reply's ``position`` is behind the one
the player reported. Here the network layer rewrites one real reply that way (what a stalled server
produces); the player must move back, or every later tick would be refused as a skip.
"""

import json
import time
from typing import Any

from .conftest import PLAYER, play, position

CLIP_SECONDS = 5.0


def test_the_player_moves_back_to_the_position_the_server_kept(open_player):
    page = open_player("lisi")
    clipped: dict[str, float] = {}

    def clip_one_reply(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        sent = json.loads(route.request.post_data or "{}")
        if not clipped and sent.get("event") == "tick" and body.get("accepted") and sent["position"] >= 6:
            body["position"] = round(sent["position"] - CLIP_SECONDS, 3)
            clipped.update(sent=sent["position"], kept=body["position"])
        route.fulfill(response=response, json=body)

    page.route("**/api/xueshi/studytime/v1/heartbeats", clip_one_reply)
    play(page)
    deadline = time.monotonic() + 40
    while not clipped and time.monotonic() < deadline:
        page.wait_for_timeout(250)  # Playwright runs the route handler only inside its own calls
    assert clipped, "no tick was reported past 6 s"
    page.wait_for_timeout(600)
    # Without following the reply the player would be past the reported position by now.
    assert position(page) < clipped["sent"] - 2
    assert "已回到服务器最后计入学习时长的位置" in page.inner_text(PLAYER)
    # The next ticks line up with the server again: accepted, not refused as skips.
    page.unroute("**/api/xueshi/studytime/v1/heartbeats")
    replies = []
    page.on("response", lambda r: replies.append(r) if r.url.endswith("/v1/heartbeats") else None)
    page.wait_for_timeout(4500)
    reasons = [r.json().get("reason") for r in replies if r.status == 200]
    assert reasons and "seek" not in reasons, reasons
