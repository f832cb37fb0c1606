"""The WeChat Pay, Alipay and UnionPay sandboxes beside the sandbox site (``make sandbox``), and its settings.

``sandbox/serve.py`` starts the servers as child processes (``python -m sandbox.wechatpay`` with
the WeChat OAuth sandbox mounted, ``python -m sandbox.alipay``, ``python -m sandbox.unionpay``) on
their usual ports, or on free ones when those are taken, and hands the ports to the site through
the environment; ``sandbox/settings.py`` then points ``XUESHI_WECHATPAY``/``XUESHI_ALIPAY``/
``XUESHI_UNIONPAY`` at them with the keys and certificates both sides read from ``var/`` (nothing
printed, nothing committed). ADR 0164 added UnionPay. Notices go to the site's
loopback address (``XUESHI_PAYMENTS_NOTIFY_BASE_URL``), the address the sandboxes can reach. ADR 0135.
The Nuonuo e-invoice sandbox (``python -m sandbox.nuonuo``) runs beside them the same way, so a
newcomer who buys the paid demo course can ask for an invoice and download it (ADR 0177).
The Alibaba Cloud SMS sandbox (``python -m sandbox.sms``) too, so the notifications of that payment
appear on its page (ADR 0242). The WeChat Pay sandbox also plays the official account: learners bind
WeChat on their notifications page through its web authorisation, and subscription messages show
at ``/_sandbox/messages`` on its port (ADR 0341).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parent.parent
WECHATPAY_PORT_ENV = "XUESHI_WECHATPAY_SANDBOX_PORT"
ALIPAY_PORT_ENV = "XUESHI_ALIPAY_SANDBOX_PORT"
UNIONPAY_PORT_ENV = "XUESHI_UNIONPAY_SANDBOX_PORT"
SWITCH_ENV = "XUESHI_PAYMENT_SANDBOXES"  # "0": the site does not use them
NOTIFY_ENV = "XUESHI_PAYMENTS_NOTIFY_BASE_URL"
WECHATPAY_PORT, ALIPAY_PORT, UNIONPAY_PORT = 8061, 8090, 8091
NUONUO_PORT_ENV = "XUESHI_NUONUO_SANDBOX_PORT"
NUONUO_PORT = 8766
PROVINCIAL_PORT_ENV = "XUESHI_PROVINCIAL_SANDBOX_PORT"
PROVINCIAL_PORT = 8770
SMS_PORT_ENV = "XUESHI_SMS_SANDBOX_PORT"
SMS_PORT = 9611


def wechatpay_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def alipay_gateway(port: int) -> str:
    return f"http://127.0.0.1:{port}/gateway.do"


def unionpay_gateway(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def configure(settings: MutableMapping[str, Any], environ: Mapping[str, str] = os.environ) -> None:
    """Point the site's payment channels at the sandboxes (unless switched off or a merchant is set).

    Called by ``sandbox/settings.py`` with its ``globals()`` after the plugin settings.
    """
    if environ.get(SWITCH_ENV, "1") == "0":
        return
    from sandbox.alipay.site import site_settings as alipay_settings
    from sandbox.unionpay.site import site_settings as unionpay_settings
    from sandbox.wechatpay.site import site_settings as wechatpay_settings
    from xueshi_payments.conf import configured_channels

    if not settings.get("XUESHI_WECHATPAY"):
        port = int(environ.get(WECHATPAY_PORT_ENV) or WECHATPAY_PORT)
        settings["XUESHI_WECHATPAY"] = wechatpay_settings(wechatpay_url(port))
    if not settings.get("XUESHI_ALIPAY"):
        port = int(environ.get(ALIPAY_PORT_ENV) or ALIPAY_PORT)
        settings["XUESHI_ALIPAY"] = alipay_settings(alipay_gateway(port))
    if not settings.get("XUESHI_UNIONPAY"):
        port = int(environ.get(UNIONPAY_PORT_ENV) or UNIONPAY_PORT)
        settings["XUESHI_UNIONPAY"] = unionpay_settings(unionpay_gateway(port))
    settings["XUESHI_PAYMENT_CHANNELS"] = configured_channels(
        settings["XUESHI_WECHATPAY"], settings["XUESHI_ALIPAY"], settings["XUESHI_UNIONPAY"]
    )
    if environ.get(NOTIFY_ENV):
        settings["XUESHI_PAYMENTS_NOTIFY_BASE_URL"] = environ[NOTIFY_ENV]
    if environ.get(NUONUO_PORT_ENV) and not settings.get("XUESHI_INVOICES_NUONUO_URL"):
        configure_invoices(settings, int(environ[NUONUO_PORT_ENV]), environ.get(NOTIFY_ENV, ""))
    if environ.get(PROVINCIAL_PORT_ENV):
        configure_reporting(settings, int(environ[PROVINCIAL_PORT_ENV]))
    if environ.get(SMS_PORT_ENV) and not settings.get("XUESHI_NOTIFY_SMS"):
        configure_sms(settings, int(environ[SMS_PORT_ENV]))
    if environ.get(WECHATPAY_PORT_ENV) and not settings.get("XUESHI_NOTIFY_WECHAT"):
        configure_wechat_messages(settings, wechatpay_url(int(environ[WECHATPAY_PORT_ENV])))


def configure_reporting(settings: MutableMapping[str, Any], port: int) -> None:
    """Point the demo destination (``xueshi_reporting.demo``) at the provincial sandbox on ``port``.

    ADR 0204: its keys are made once into ``var/provincial_keys.json``; values already set win.
    """
    from sandbox.provincial.__main__ import demo_keys, site_secrets
    from xueshi_reporting.conf import DEMO_CODE  # no models: this runs while settings load

    secrets = dict(settings.get("XUESHI_REPORTING_SECRETS") or {})
    secrets.setdefault(DEMO_CODE, site_secrets(demo_keys(), sm4=False))
    settings["XUESHI_REPORTING_SECRETS"] = secrets
    urls = dict(settings.get("XUESHI_REPORTING_URLS") or {})
    urls.setdefault(DEMO_CODE, f"http://127.0.0.1:{port}/records")
    settings["XUESHI_REPORTING_URLS"] = urls


def configure_sms(settings: MutableMapping[str, Any], port: int) -> None:
    """Send notification SMS through the Alibaba Cloud SMS sandbox on ``port`` (its default test keys).

    Every message kind gets a made-up template code, so each notification shows on the sandbox page.
    """
    from sandbox.sms.__main__ import DEFAULT_KEY_ID, DEFAULT_SECRET
    from xueshi_notify.kinds import KINDS

    settings["XUESHI_NOTIFY_SMS"] = {
        "PROVIDER": "aliyun",
        "ACCESS_KEY_ID": DEFAULT_KEY_ID,
        "ACCESS_KEY_SECRET": DEFAULT_SECRET,
        "SIGN_NAME": "学时平台",
        "ENDPOINT": f"127.0.0.1:{port}",
        "PROTOCOL": "http",
        "TEMPLATES": {kind: f"SMS_48000{n:04d}" for n, kind in enumerate(KINDS, start=1)},
    }


def configure_wechat_messages(settings: MutableMapping[str, Any], base_url: str) -> None:
    """Bind and message learners through the official account the WeChat Pay sandbox plays.

    The same appid as the paying account (as on a real service account); every message kind gets a
    made-up template whose ``thing`` fields carry the kind's values in order.
    """
    from xueshi_notify.kinds import KINDS

    account = settings.get("XUESHI_WECHATPAY") or {}
    if not account.get("APPID") or not account.get("APP_SECRET"):
        return
    templates = {
        code: {"id": f"sandbox-{code}", "fields": {f"thing{n}": p for n, p in enumerate(kind.params[:4], 1)}}
        for code, kind in KINDS.items()
    }
    settings["XUESHI_NOTIFY_WECHAT"] = {
        "APPID": account["APPID"],
        "SECRET": account["APP_SECRET"],
        "BASE_URL": base_url,
        "OAUTH_AUTHORIZE_URL": f"{base_url}/connect/oauth2/authorize",
        "TEMPLATES": templates,
    }


def configure_invoices(settings: MutableMapping[str, Any], port: int, site_origin: str) -> None:
    """Point e-invoicing at the Nuonuo sandbox on ``port`` (its app key and secret live in ``var/``).

    Only when ``serve.py`` started it (the port is in the environment): a bare ``runserver`` keeps
    requests waiting instead of calling a port where nothing listens. The sandbox posts each result
    to ``site_origin``, so an invoice is issued and downloadable a few seconds after the request.
    """
    from sandbox.nuonuo.__main__ import app_credentials

    key, secret = app_credentials()
    settings["XUESHI_INVOICES_NUONUO_URL"] = f"http://127.0.0.1:{port}"
    settings["XUESHI_INVOICES_NUONUO_TOKEN_URL"] = ""
    settings["XUESHI_INVOICES_NUONUO_APP_KEY"] = key
    settings["XUESHI_INVOICES_NUONUO_APP_SECRET"] = secret
    if site_origin:
        settings["XUESHI_INVOICES_CALLBACK_BASE_URL"] = site_origin


def _free(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return False
    except OSError:
        return True


def pick_port(preferred: int) -> int:
    """``preferred`` when nothing listens there, else a free port the system hands out."""
    if _free(preferred):
        return preferred
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Running:
    """The started sandboxes: their processes, ports, and the environment the site needs."""

    processes: list[subprocess.Popen[Any]] = field(default_factory=list)
    wechatpay_port: int = 0
    alipay_port: int = 0
    unionpay_port: int = 0
    nuonuo_port: int = 0
    provincial_port: int = 0
    sms_port: int = 0

    def env(self, site_origin: str) -> dict[str, str]:
        env = {
            WECHATPAY_PORT_ENV: str(self.wechatpay_port),
            ALIPAY_PORT_ENV: str(self.alipay_port),
            UNIONPAY_PORT_ENV: str(self.unionpay_port),
            NOTIFY_ENV: site_origin,
        }
        if self.nuonuo_port:
            env[NUONUO_PORT_ENV] = str(self.nuonuo_port)
        if self.provincial_port:
            env[PROVINCIAL_PORT_ENV] = str(self.provincial_port)
        if self.sms_port:
            env[SMS_PORT_ENV] = str(self.sms_port)
        return env

    def banner(self) -> list[str]:
        """The lines ``make sandbox`` prints about them (before the logins)."""
        wechat, alipay, unionpay = (
            f"http://127.0.0.1:{port}" for port in (self.wechatpay_port, self.alipay_port, self.unionpay_port)
        )
        lines = [
            f"WeChat Pay sandbox: {wechat}/sandbox/  (payer pages of unpaid QR codes, calls, notices)",
            f"Alipay sandbox:     {alipay}/sandbox/  (calls, trades and notices)",
            f"UnionPay sandbox:   {unionpay}/sandbox/  (网银 calls, transactions and notices)",
        ]
        if self.nuonuo_port:
            nuonuo = f"http://127.0.0.1:{self.nuonuo_port}"
            lines.append(f"Nuonuo sandbox:     {nuonuo}/sandbox/  (e-invoice calls, controls)")
        if self.provincial_port:
            lines.append(
                f"Provincial sandbox: http://127.0.0.1:{self.provincial_port}/sandbox/  (records received)"
            )
        if self.sms_port:
            lines.append(
                f"SMS sandbox:        http://127.0.0.1:{self.sms_port}/  (notification SMS, fail switch)"
            )
        return lines

    def wait(self, timeout: float = 30.0) -> bool:
        """Whether all of them answer within ``timeout``."""
        deadline = time.monotonic() + timeout
        ports = (
            self.wechatpay_port,
            self.alipay_port,
            self.unionpay_port,
            self.nuonuo_port,
            self.provincial_port,
            self.sms_port,
        )
        for port in (p for p in ports if p):
            while _free(port):
                if time.monotonic() > deadline or any(p.poll() is not None for p in self.processes):
                    return False
                time.sleep(0.1)
        return True

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def start(log_dir: Path = REPO_DIR / "var", ports: tuple[int, ...] | None = None) -> Running:
    """Start the sandboxes (their output goes to ``var/*-sandbox.log``, not over the banner).

    ``ports`` (WeChat Pay, Alipay[, UnionPay[, Nuonuo[, provincial[, SMS]]]]) when given, else 8061,
    8090, 8091, 8766, 8770 and 9611 or free ones if those are taken.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    given = tuple(ports or ())
    wechatpay_port = given[0] if len(given) > 0 else pick_port(WECHATPAY_PORT)
    alipay_port = given[1] if len(given) > 1 else pick_port(ALIPAY_PORT)
    unionpay_port = given[2] if len(given) > 2 else pick_port(UNIONPAY_PORT)
    nuonuo_port = given[3] if len(given) > 3 else pick_port(NUONUO_PORT)
    provincial_port = given[4] if len(given) > 4 else pick_port(PROVINCIAL_PORT)
    sms_port = given[5] if len(given) > 5 else pick_port(SMS_PORT)
    running = Running(
        wechatpay_port=wechatpay_port,
        alipay_port=alipay_port,
        unionpay_port=unionpay_port,
        nuonuo_port=nuonuo_port,
        provincial_port=provincial_port,
        sms_port=sms_port,
    )
    for module, port, log_name in (
        ("sandbox.wechatpay", running.wechatpay_port, "wechatpay-sandbox.log"),
        ("sandbox.alipay", running.alipay_port, "alipay-sandbox.log"),
        ("sandbox.unionpay", running.unionpay_port, "unionpay-sandbox.log"),
        ("sandbox.nuonuo", running.nuonuo_port, "nuonuo-sandbox.log"),
        ("sandbox.provincial", running.provincial_port, "provincial-sandbox.log"),
        ("sandbox.sms", running.sms_port, "sms-sandbox.log"),
    ):
        with (log_dir / log_name).open("ab") as log:
            running.processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", module, "--port", str(port)],
                    cwd=REPO_DIR,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    return running
