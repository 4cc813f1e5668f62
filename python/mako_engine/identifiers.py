"""Identifiers of the German energy market, validated at the boundary (C++ ``mako::ids``).

* :class:`MaloId` -- Marktlokations-ID, 11 digits with the BDEW check digit (``41373559241``);
* :class:`MpId` -- Marktpartner-ID, 13 digits; prefix 99 BDEW / 98 DVGW with the BDEW check digit,
  anything else a GS1 GLN (EAN-13 check digit); :attr:`MpId.kind` says which (:class:`MpIdKind`);
* :class:`MeloId` -- Messlokations-ID, 33 characters, no check digit.

Each has ``parse(text)`` (also the constructor) raising :class:`~mako_engine.InvalidInput` (a
``ValueError``) whose message names the field and the reason, ``validate(text) -> (ok, reason)``,
``why_invalid(text) -> str | None``, ``is_valid(text)`` and ``generate(seed)`` (a valid id derived
deterministically from the seed, the same in C++ and Python)::

    >>> MaloId("41373559241").check_digit
    1
    >>> MaloId.why_invalid("41373559242")
    'MaLo-ID: check digit is 2, expected 1'
    >>> MpId("4012345000023").kind
    <MpIdKind.GS1: 2>
"""

from __future__ import annotations

from ._core import MaloId, MeloId, MpId, MpIdKind

__all__ = ["MaloId", "MpId", "MpIdKind", "MeloId"]
