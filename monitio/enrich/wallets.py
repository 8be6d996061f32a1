"""Crypto wallet addresses in text, kept only when their checksum holds.

Values are `btc:<address>`, `eth:<address, lower case>` or `trx:<address>`:

- BTC legacy (P2PKH `1...`, P2SH `3...`): Base58Check, version byte 0x00 or 0x05.
- BTC SegWit `bc1...`: bech32 (witness v0) or bech32m (v1+) checksum.
- ETH `0x` + 40 hex digits (no checksum check: EIP-55 needs Keccak, which hashlib lacks).
- TRON `T` + 33 Base58 characters: Base58Check with version byte 0x41.

Solana addresses are plain Base58 of any 32-byte key and look like anything else: not extracted.

>>> find_wallets("send to 1BoatSLRHtKNngkdXEeobR76b53LETtpyT or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
['btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq']
>>> find_wallets("mistyped 1BoatSLRHtKNngkdXEeobR76b53LETtpyX")
[]
"""

from __future__ import annotations

import hashlib
import re

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(B58)}
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {c: i for i, c in enumerate(_BECH32)}

WALLET_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"(?P<btc>[13][1-9A-HJ-NP-Za-km-z]{25,34})"
    r"|(?P<seg>(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71})"
    r"|(?P<eth>0[xX][0-9a-fA-F]{40})"
    r"|(?P<trx>T[1-9A-HJ-NP-Za-km-z]{33})"
    r")(?![0-9A-Za-z])"
)


def b58check(address: str) -> bytes | None:
    """The payload of a Base58Check string (version byte included), or None if the checksum fails.

    >>> b58check("1BoatSLRHtKNngkdXEeobR76b53LETtpyT")[0]
    0
    """
    n = 0
    for ch in address:
        i = _B58_INDEX.get(ch)
        if i is None:
            return None
        n = n * 58 + i
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(address) - len(address.lstrip("1"))) + raw
    if len(raw) < 5:
        return None
    payload, check = raw[:-4], raw[-4:]
    if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != check:
        return None
    return payload


def bech32_ok(address: str) -> bool:
    """Whether a `bc1` address has a valid bech32 or bech32m checksum (one case only).

    >>> bech32_ok("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"), bech32_ok("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp")
    (True, False)
    """
    if address.lower() != address and address.upper() != address:
        return False
    address = address.lower()
    hrp, _, data = address.rpartition("1")
    values = [_BECH32_INDEX.get(c, -1) for c in data]
    if hrp != "bc" or len(values) < 7 or -1 in values:
        return False
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    version = values[0]
    return chk == (1 if version == 0 else 0x2BC830A3)


def find_wallets(text: str) -> list[str]:
    """Checksum-valid wallet addresses in the text, in order, without repeats."""
    out: list[str] = []
    if max(map(len, text.split()), default=0) < 26:
        return out
    for m in WALLET_RE.finditer(text):
        kind = m.lastgroup
        addr = m.group(kind)
        if kind == "btc":
            payload = b58check(addr)
            value = f"btc:{addr}" if payload and len(payload) == 21 and payload[0] in (0, 5) else None
        elif kind == "seg":
            value = f"btc:{addr.lower()}" if bech32_ok(addr) else None
        elif kind == "eth":
            value = f"eth:0x{addr[2:].lower()}"
        else:
            payload = b58check(addr)
            value = f"trx:{addr}" if payload and len(payload) == 21 and payload[0] == 0x41 else None
        if value and value not in out:
            out.append(value)
    return out
