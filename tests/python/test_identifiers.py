"""mako_engine.identifiers: check-digit vectors, reasons naming the field, generators."""

from __future__ import annotations

import pickle

import pytest

import mako_engine as mk
from mako_engine.identifiers import MaloId, MeloId, MpId, MpIdKind


@pytest.mark.parametrize("text", ["41373559241", "51238696012"])
def test_malo_vectors(text: str) -> None:
    malo = MaloId(text)
    assert str(malo) == malo.value == text and MaloId.is_valid(text)
    assert MaloId.from_base(text[:10]) == malo
    assert malo.check_digit == int(text[-1])
    assert MaloId.validate(text) == (True, None) and MaloId.why_invalid(text) is None


@pytest.mark.parametrize(
    "text, reason",
    [
        ("41373559242", "check digit is 2, expected 1"),
        ("4137355924", "has 10 characters, expected 11"),
        ("01373559241", "must not start with 0"),
        ("4137355924a", "non-digit 'a' at position 11"),
        ("", "empty"),
    ],
)
def test_malo_errors_name_the_field_and_the_reason(text: str, reason: str) -> None:
    ok, why = MaloId.validate(text)
    assert not ok and reason in why
    assert MaloId.why_invalid(text) == f"MaLo-ID: {why}"
    with pytest.raises(mk.InvalidInput) as info:
        MaloId.parse(text)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(f"MaLo-ID '{text}'") and reason in str(info.value)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("9900467000000", MpIdKind.BDEW),
        ("9904590000002", MpIdKind.BDEW),
        ("9910960000001", MpIdKind.BDEW),
        ("4012345000023", MpIdKind.GS1),
    ],
)
def test_mp_id_vectors(text: str, kind: MpIdKind) -> None:
    mp = MpId(text)
    assert mp.kind == kind and str(mp) == text
    assert MpId.from_base(text[:12]) == mp


def test_mp_id_errors_say_which_procedure() -> None:
    assert MpId.why_invalid("9900467000001") == "MP-ID: check digit is 1, expected 0 (BDEW procedure)"
    assert "GS1" in MpId.why_invalid("4012345000024")
    with pytest.raises(mk.InvalidInput, match="MP-ID '99004670000': "):
        MpId("99004670000")


def test_melo_id() -> None:
    melo = MeloId.generate(3)
    assert len(str(melo)) == 33 and melo.country_code == "DE"
    assert MeloId(str(melo)) == melo
    assert str(melo) == melo.country_code + melo.grid_operator_number + melo.postcode + melo.counter_part
    lower = "de" + str(melo)[2:]
    assert "country code" in MeloId.why_invalid(lower)
    with pytest.raises(ValueError, match="MeLo-ID"):
        MeloId(lower)


def test_generate_is_deterministic_and_valid() -> None:
    assert MaloId.generate(7) == MaloId.generate(7) != MaloId.generate(8)
    for seed in range(50):
        assert MaloId.is_valid(str(MaloId.generate(seed)))
        assert MeloId.is_valid(str(MeloId.generate(seed)))
        for kind in ("BDEW", "DVGW", "GS1"):
            mp = MpId.generate(seed, kind)
            assert MpId.is_valid(str(mp)) and mp.kind.name == kind
    assert str(MpId.generate(1, MpIdKind.DVGW)).startswith("98")
    with pytest.raises(mk.InvalidInput, match="kind"):
        MpId.generate(1, "EIC")


def test_value_semantics() -> None:
    a, b = MaloId("41373559241"), MaloId("51238696012")
    assert a < b and sorted([b, a]) == [a, b]
    assert len({a, MaloId("41373559241")}) == 1
    assert a != "41373559241"  # an id is not its text
    assert pickle.loads(pickle.dumps(a)) == a
    assert repr(a) == "MaloId('41373559241')"
