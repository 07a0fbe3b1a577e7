"""Human codes for records created offline: unique across devices that never talked to each other.

A code is `AT-<year>-<device tag>-<local number>`, e.g. `AT-2026-7KQ3M-004`. The local number is
unique on one device; the device tag (25 bits of the device's random UUID, Crockford base32, no
ambiguous letters) tells devices apart. Two devices share a tag with probability about n²/2²⁶ for
n devices (0.06 % for 200 devices); a shared tag still needs the same year and number to collide,
and the merge reports such a pair instead of hiding it.
"""

from __future__ import annotations

import re
import uuid

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TAG_LENGTH = 5
CODE_PATTERN = re.compile(
    r"^(?P<prefix>[A-Z]{2})-(?P<year>\d{4})-(?P<tag>[0-9A-HJKMNP-TV-Z]{5})-(?P<n>\d{3,})$"
)


def device_tag(device_id: str) -> str:
    value = uuid.UUID(device_id).int >> (128 - 5 * TAG_LENGTH)
    chars = []
    for _ in range(TAG_LENGTH):
        chars.append(CROCKFORD[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def human_code(prefix: str, year: int, device_id: str, number: int) -> str:
    return f"{prefix}-{year:04d}-{device_tag(device_id)}-{number:03d}"


def parse_code(code: str) -> dict[str, str] | None:
    match = CODE_PATTERN.match(code.strip().upper())
    return match.groupdict() if match else None
