"""A count with its noun, in the letter's language ("1 order", "12 orders", "12个订单").

The letter is written for the marketplace, so its English never goes through the
UI's gettext: these forms are fixed here. Placeholders such as ``{orders}`` carry
the noun, so a sentence can agree with any count ("{orders} reached the carrier").
"""

from __future__ import annotations

# placeholder / unit -> (English singular, English plural, Chinese measure word + noun)
NOUNS: dict[str, tuple[str, str, str]] = {
    "orders": ("order", "orders", "个订单"),
    "parcels": ("parcel", "parcels", "个包裹"),
    "messages": ("message", "messages", "条买家消息"),
    "return_requests": ("return request", "return requests", "个退货请求"),
    "returns": ("return", "returns", "个退货请求"),
}

# The placeholders every phrase and template may use, filled with the case's one count.
COUNTED_PLACEHOLDERS = ("orders", "parcels", "messages", "return_requests")


def noun(count: int, unit: str) -> str:
    """The English noun for ``count`` of ``unit`` ("order" for 1, "orders" otherwise)."""
    singular, plural, _zh = NOUNS.get(unit, (unit, unit, unit))
    return singular if count == 1 else plural


def counted(count: int, unit: str, language: str = "en") -> str:
    """``count`` with its noun: "1 order", "12 orders"; "12个订单" for ``zh``."""
    if language == "zh":
        return f"{count}{NOUNS.get(unit, ('', '', unit))[2]}"
    return f"{count} {noun(count, unit)}"
