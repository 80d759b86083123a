"""Small network helpers the serving surfaces share (`kit serve`, `kit hub`, the tests' servers).

A port the operating system picks, this machine's address on the local network, a join link as a
QR code for a terminal. Nothing here knows about workshops, so every layer may use it.
"""
from __future__ import annotations

import contextlib
import ipaddress
import socket


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on now, chosen by the operating system (tests, benchmarks)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def lan_address() -> str | None:
    """This machine's address on the local network, or None if it has none but loopback.

    Connecting a UDP socket sends nothing; it only asks the kernel which interface routes out.
    """
    candidates: list[str] = []
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                candidates.append(str(s.getsockname()[0]))
        except OSError:
            continue
    with contextlib.suppress(OSError):
        candidates += socket.gethostbyname_ex(socket.gethostname())[2]
    for address in candidates:
        ip = ipaddress.ip_address(address) if address else None
        if ip and not ip.is_loopback and not ip.is_unspecified:
            return address
    return None


def qr_text(url: str) -> str:
    """A link as a QR code drawn with text, for a terminal (segno)."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()
