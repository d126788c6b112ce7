"""The client's address: the peer's, or — only when the peer is a configured reverse proxy — the address that
proxy says it forwarded (``X-Forwarded-For``). From any other peer the header is a claim anyone can make."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    networks = trusted_networks(tuple(request.app.state.settings.trusted_proxies))
    if not networks or not _trusted(peer, networks):
        return peer
    # Each proxy appends the address it received from: read from the right, past our own proxies.
    hops = [hop.strip() for hop in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop[:64]
    return hops[0][:64] if hops else peer
