"""The address of the client that sent a request, as far as this installation can know it.

Without configuration it is REMOTE_ADDR: a header such as X-Forwarded-For is written by whoever sends
the request, so trusting it by default would let anyone pose as any address. Behind reverse proxies,
SILKBRIDGE_CLIENT_IP_HEADER names the header they set and SILKBRIDGE_TRUSTED_PROXY_COUNT how many of
them append to it; the client is then the address the outermost trusted proxy appended (the N-th
from the right), never one the client wrote into the header itself.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address, normalised, or None when the request carries none."""
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not header or proxies < 1:
        return remote
    meta_name = "HTTP_" + header.upper().replace("-", "_")
    values = [value.strip() for value in request.META.get(meta_name, "").split(",") if value.strip()]
    if len(values) < proxies:
        # The request did not come through every configured proxy; only the socket's address is known.
        return remote
    return _valid(values[-proxies]) or remote


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
