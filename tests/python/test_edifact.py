"""mako_engine.edifact: round trips, the model, typed views and builders, ParseError locations."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

import mako_engine as mk
from mako_engine import edifact

EXAMPLES = {e["name"]: e["bytes"] for e in edifact.corpus.gpke_examples()}
INVALID = {e["name"]: e for e in edifact.corpus.invalid_examples()}
IDS = edifact.corpus.ids
UTC = dt.timezone.utc
ANMELDUNG = EXAMPLES["utilmd_55001_1"]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_corpus_example_round_trips_byte_for_byte(name: str) -> None:
    data = EXAMPLES[name]
    ic = edifact.parse(data)
    assert edifact.write(ic) == data
    edifact.validate(ic)  # the typed views accept every valid example


def test_interchange_attributes() -> None:
    ic = edifact.parse(ANMELDUNG)
    assert ic.sender == edifact.Party(IDS["lfn"], "500")
    assert ic.receiver.id == IDS["nb"]
    assert (ic.reference, ic.date, ic.time, ic.charset) == ("IC0000000001", "260302", "1000", "UNOC")
    assert ic.prepared_at == dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert ic.has_una and ic.separators == edifact.Separators()
    (msg,) = ic.messages
    assert (msg.type, msg.version, msg.release, msg.agency, msg.association) == ("UTILMD", "D", "11A", "UN", "S2.1")
    # The skeleton, then what the AHB of a 55001 asks for: product package (SEQ+Z79/ZH0), MaLo data
    # (SEQ+Z01), EnFG (SEQ+Z75), customer (NAD+Z09) and correspondence address (NAD+Z04).
    assert [s.tag for s in msg.segments] == ["BGM", "DTM", "NAD", "NAD", "IDE", "DTM", "STS", "LOC", "RFF", "SEQ", "PIA",
                                             "CCI", "SEQ", "CCI", "SEQ", "CCI", "SEQ", "CCI", "NAD", "NAD"]
    assert msg.segment_count == 22
    rff = msg.find("RFF")[0]
    assert rff.elements == [["Z13", "55001"]] and rff.value(0, 1) == "55001" and rff.value(5) == ""
    # Escapes are undone: DTM+137:202603021000?+00:303 holds "+00" in the value.
    assert msg.segments[1].elements == [["137", "202603021000+00", "303"]]
    assert msg.find("NAD", "MS")[0].is_("NAD", "MS")
    assert (msg.segments[0].number, msg.segments[0].offset) == (3, ANMELDUNG.index(b"BGM"))


def test_parse_accepts_str_as_latin1_and_keeps_umlauts_as_str() -> None:
    latin1 = ANMELDUNG.replace(b"STS+7++E03+ZW4", b"STS+7++E03+ZW4+M\xfcller")
    ic = edifact.parse(latin1)
    sts = ic.messages[0].find("STS")[0]
    assert sts.elements[-1] == ["Müller"]
    assert edifact.write(ic) == latin1  # back to ISO 8859-1 on the wire
    assert edifact.parse(latin1.decode("latin-1")) == ic
    with pytest.raises(TypeError):
        edifact.parse(12345)  # type: ignore[arg-type]


def test_layout_variants_are_kept() -> None:
    crlf = edifact.parse(EXAMPLES["utilmd_55001_multi_crlf"])
    assert crlf.line_break == "\r\n" and len(crlf.messages) > 1
    una = edifact.parse(EXAMPLES["utilmd_55001_custom_una"])
    assert una.separators.component == "|" and una.separators.element == "*"
    assert una.separators.una() == "UNA|*,\\ ~"


def test_a_changed_model_writes_with_recomputed_counts_and_escapes() -> None:
    ic = edifact.parse(ANMELDUNG)
    msg = ic.messages[0]
    msg.segments.append(edifact.Segment("FTX", [["ACB"], [""], [""], ["a+b:c?d'e"]]))
    data = edifact.write(ic)
    assert b"FTX+ACB+++a?+b?:c??d?'e'" in data
    assert b"UNT+23+0000000001'" in data
    back = edifact.parse(data)
    assert back.messages[0].segments[-1].elements[-1] == ["a+b:c?d'e"]
    assert back == ic  # positions take no part in equality


def test_writing_a_character_outside_the_repertoire_fails() -> None:
    ic = edifact.parse(ANMELDUNG)
    ic.messages[0].segments.append(edifact.Segment("FTX", [["ACB"], ["€"]]))
    with pytest.raises(edifact.WriteError) as info:
        edifact.write(ic)
    assert isinstance(info.value, mk.InvalidInput)


def test_parse_segments_is_the_lexical_layer() -> None:
    segments = edifact.parse_segments(ANMELDUNG)
    assert [s.tag for s in segments][:3] == ["UNB", "UNH", "BGM"] and segments[-1].tag == "UNZ"


# ---- errors ---------------------------------------------------------------------------------------


def test_parse_error_is_an_invalid_input_and_a_value_error() -> None:
    assert issubclass(edifact.ParseError, mk.InvalidInput)
    assert issubclass(edifact.ParseError, ValueError)


def test_missing_unt() -> None:
    with pytest.raises(edifact.ParseError) as info:
        edifact.parse(INVALID["missing_unt"]["bytes"])
    e = info.value
    assert (e.segment_number, e.byte_offset, e.segment_tag) == (23, INVALID["missing_unt"]["bytes"].index(b"UNZ"), "UNZ")
    assert "UNT" in e.expected and "segment 23" in str(e)


def test_wrong_unt_count_says_expected_and_found() -> None:
    data = ANMELDUNG.replace(b"UNT+22+", b"UNT+9+")
    with pytest.raises(edifact.ParseError) as info:
        edifact.parse(data)
    e = info.value
    assert (e.segment_number, e.byte_offset, e.segment_tag) == (23, data.index(b"UNT"), "UNT")
    assert "22" in e.expected and "9" in e.found


def test_bad_escape() -> None:
    with pytest.raises(edifact.ParseError) as info:
        edifact.parse(INVALID["bad_escape_sequence"]["bytes"])
    assert (info.value.segment_number, info.value.byte_offset, info.value.segment_tag) == (4, 160, "DTM")


def test_truncated() -> None:
    with pytest.raises(edifact.ParseError) as info:
        edifact.parse(ANMELDUNG[:100])
    e = info.value
    assert (e.segment_number, e.byte_offset, e.segment_tag) == (2, 100, "UNH")
    assert "truncated" in e.found


def test_wrong_charset() -> None:
    with pytest.raises(edifact.ParseError) as info:
        edifact.parse(ANMELDUNG.replace(b"UNOC", b"UNOX"))
    assert (info.value.segment_number, info.value.segment_tag) == (1, "UNB") and "UNOX" in info.value.found
    # UTF-8 inside a UNOC (ISO 8859-1) file is refused by default, accepted as Latin-1 on request.
    utf8 = ANMELDUNG.replace(b"STS+7++E03+ZW4", b"STS+7++E03+ZW4+M\xc3\xbcller")
    with pytest.raises(edifact.ParseError) as info:
        edifact.parse(utf8)
    assert info.value.segment_tag == "STS" and "UTF-8" in info.value.found
    lenient = edifact.parse(utf8, reject_utf8_in_unoc=False)
    assert lenient.messages[0].find("STS")[0].elements[-1] == ["MÃ¼ller"]


@pytest.mark.parametrize("name", sorted(INVALID))
def test_every_invalid_corpus_example_fails_where_it_says(name: str) -> None:
    case = INVALID[name]
    with pytest.raises(edifact.ParseError) as info:
        if case["fails_in_parse"]:
            edifact.parse(case["bytes"])
        else:
            edifact.validate(edifact.parse(case["bytes"]))
    assert info.value.segment_number == case["segment_number"]
    assert info.value.byte_offset == case["byte_offset"]
    assert info.value.segment_tag == case["segment_tag"]


# ---- typed views ------------------------------------------------------------------------------------


def test_read_utilmd() -> None:
    u = edifact.read_utilmd(edifact.parse(ANMELDUNG).messages[0])
    assert u.sender == edifact.MarketPartner(IDS["lfn"], "293")
    assert u.message_date == dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    (t,) = u.transactions
    assert (t.reference, t.pid, t.malo_id, t.reason, t.reason_supplement) == ("VG0000000001-1", "55001", IDS["malo_a"],
                                                                               "E03", "ZW4")
    assert t.start == dt.datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # 2026-04-01 00:00 Berlin (CEST)
    assert t.referenced_transaction is None and t.answer_code is None
    assert t.customer["name"] == "Erika Müller" and t.correspondence["city"] == "Berlin"
    assert (t.product_code, t.household, t.enfg) == ("9991000002082", True, "ZG0")


def test_answers_carry_the_referenced_transaction() -> None:
    u = edifact.read_utilmd(edifact.parse(EXAMPLES["utilmd_55002_7"]).messages[0])
    assert u.transactions[0].pid == "55002"
    assert u.transactions[0].referenced_transaction


def test_build_utilmd_round_trips_through_the_wire() -> None:
    when = dt.datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
    u = edifact.UtilmdMessage(
        reference="M1",
        message_date=when,
        sender=edifact.MarketPartner(IDS["lfn"]),
        receiver=edifact.MarketPartner(IDS["nb"]),
        document_number="D1",
        transactions=[
            edifact.UtilmdTransaction("VG1", "55001", IDS["malo_a"], start=dt.datetime(2025, 3, 31, 22, tzinfo=UTC), reason="E03"),
            edifact.UtilmdTransaction("VG2", "55001", IDS["malo_b"], start=dt.datetime(2025, 3, 31, 22, tzinfo=UTC), reason="E01"),
        ],
    )
    msg = edifact.build_utilmd(u)
    assert msg.type == "UTILMD" and msg.find("RFF", "Z13")[0].value(0, 1) == "55001"
    ic = edifact.make_interchange(u.sender, u.receiver, "REF1", when, [msg])
    assert (ic.date, ic.time, ic.sender.qualifier) == ("250303", "0930", "500")
    back = edifact.parse(edifact.write(ic))
    assert edifact.read_utilmd(back.messages[0]) == u


def test_typed_views_have_the_fields_of_the_cxx_model() -> None:
    # The bindings map the members that mako/domain/edifact/model_fields.hpp lists; the dataclass
    # has exactly those fields, so neither side can gain one the other lacks.
    from mako_engine import _core

    raw = _core.edifact_read_utilmd(edifact.parse(ANMELDUNG).messages[0])
    assert set(raw["transactions"][0]) == {f.name for f in dataclasses.fields(edifact.UtilmdTransaction)}
    assert set(raw) == {f.name for f in dataclasses.fields(edifact.UtilmdMessage)}
    aperak = _core.edifact_read_aperak(edifact.parse(EXAMPLES["aperak_313"]).messages[0])
    assert set(aperak) == {f.name for f in dataclasses.fields(edifact.AperakMessage)}
    assert set(aperak["errors"][0]) == {f.name for f in dataclasses.fields(edifact.AperakError)}
    contrl = _core.edifact_read_contrl(edifact.parse(EXAMPLES["contrl_4"]).messages[0])
    assert set(contrl) == {f.name for f in dataclasses.fields(edifact.ContrlMessage)}
    response = contrl["messages"][0]
    assert set(response) == {f.name for f in dataclasses.fields(edifact.ContrlMessageResponse)}
    if response["segment_errors"]:
        assert set(response["segment_errors"][0]) == {f.name for f in dataclasses.fields(edifact.ContrlSegmentError)}


def test_build_utilmd_reads_every_field_and_names_a_wrong_one() -> None:
    u = edifact.read_utilmd(edifact.parse(ANMELDUNG).messages[0])
    t = u.transactions[0]
    t.request_received_on = dt.date(2026, 3, 1)
    t.other_party = {"id": IDS["lfa"], "code_list": "293"}
    back = edifact.read_utilmd(edifact.build_utilmd(u))
    assert back.transactions[0].request_received_on == dt.date(2026, 3, 1)
    assert back.transactions[0].other_party == {"id": IDS["lfa"], "code_list": "293"}
    assert dataclasses.replace(back.transactions[0], other_segments=[]) == dataclasses.replace(t, other_segments=[])
    t.start = None  # an absent instant is simply not written
    assert edifact.read_utilmd(edifact.build_utilmd(u)).transactions[0].start is None
    t.household = "yes"  # type: ignore[assignment]
    with pytest.raises(mk.InvalidInput, match="household: a bool is required, got str"):
        edifact.build_utilmd(u)
    t.household = True
    t.customer = {"name": 7}
    with pytest.raises(mk.InvalidInput, match="name: a str is required, got int"):
        edifact.build_utilmd(u)


def test_typed_view_errors_are_parse_errors() -> None:
    ic = edifact.parse(INVALID["unknown_pid"]["bytes"])
    with pytest.raises(edifact.ParseError) as info:
        edifact.read_utilmd(ic.messages[0])
    assert info.value.segment_tag == "RFF" and "55999" in info.value.found
    with pytest.raises(mk.InvalidInput, match="naive"):
        edifact.build_utilmd(
            edifact.UtilmdMessage("M", dt.datetime(2025, 1, 1), edifact.MarketPartner("1"), edifact.MarketPartner("2"))
        )


def test_aperak_view_and_builder() -> None:
    negative = edifact.read_aperak(edifact.parse(EXAMPLES["aperak_313"]).messages[0])
    assert not negative.positive and negative.errors and negative.errors[0].code
    positive = edifact.read_aperak(edifact.parse(EXAMPLES["aperak_312"]).messages[0])
    assert positive.positive and positive.errors == []
    rebuilt = edifact.read_aperak(edifact.build_aperak(negative))
    assert rebuilt == negative
    broken = dataclasses.replace(negative, errors=[])  # BGM+313 without ERC: the builder refuses
    with pytest.raises(ValueError, match="at least one error"):
        edifact.build_aperak(broken)
    without_erc = edifact.build_aperak(negative)
    without_erc.segments = [s for s in without_erc.segments if s.tag != "ERC"]
    with pytest.raises(edifact.ParseError):
        edifact.read_aperak(without_erc)
    # Without a release the message date picks it; before FV2504 there is none.
    undated = dataclasses.replace(negative, association="", message_date=dt.datetime(2025, 1, 2, tzinfo=dt.timezone.utc))
    with pytest.raises(ValueError, match="no APERAK release"):
        edifact.build_aperak(undated)
    november = dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc)
    assert edifact.build_aperak(dataclasses.replace(undated, message_date=november)).association == "2.2"
    with pytest.raises(ValueError, match="'Z99'"):
        edifact.build_aperak(dataclasses.replace(negative, errors=[edifact.AperakError("Z99")]))
    other_release = edifact.build_aperak(negative)
    other_release.association = "2.1h"
    with pytest.raises(edifact.ParseError, match=r"APERAK release 2\.1i or 2\.2"):
        edifact.read_aperak(other_release)


def test_contrl_view_and_builder() -> None:
    accepted = edifact.read_contrl(edifact.parse(EXAMPLES["contrl_7"]).messages[0])
    rejected = edifact.read_contrl(edifact.parse(EXAMPLES["contrl_4"]).messages[0])
    assert accepted.accepted and not rejected.accepted
    assert accepted.interchange_reference and accepted.interchange_sender.id
    assert edifact.read_contrl(edifact.build_contrl(rejected)) == rejected
    # Built from scratch, with a segment error and an element error.
    c = edifact.ContrlMessage(
        "C1",
        "IC9",
        edifact.Party(IDS["lfn"]),
        edifact.Party(IDS["nb"]),
        action="4",
        messages=[
            edifact.ContrlMessageResponse(
                "M1", "UTILMD", "D", "11A", "UN", "S2.1", action="4", error_code="",
                segment_errors=[edifact.ContrlSegmentError("5", "", [edifact.ContrlElementError("12", "2", "1")])],
            ),
            edifact.ContrlMessageResponse(
                "M2", "UTILMD", "D", "11A", "UN", "S2.1", action="4", error_code="29", service_segment="UNT"
            ),
        ],
    )
    assert edifact.read_contrl(edifact.build_contrl(c)) == c
    # Interchange level: UCI 0085 and 0013.
    u = dataclasses.replace(c, messages=[], error_code="7", service_segment="UNB")
    built = edifact.build_contrl(u)
    assert built.segments[0].elements[4:6] == [["7"], ["UNB"]]
    assert edifact.read_contrl(built) == u


def test_pid_tables() -> None:
    pids = {p["pid"]: p for p in edifact.utilmd_strom_pids()}
    assert pids["55002"]["answer_to"] == "55001"
    assert edifact.format_of_pid("55001") == "UTILMD"
    assert edifact.format_of_pid("91001") == "CONTRL"
    assert edifact.format_of_pid("00000") is None


def test_corpus_bulk() -> None:
    ic = edifact.parse(edifact.corpus.utilmd_bulk_interchange(50))
    assert len(ic.messages) == 50
