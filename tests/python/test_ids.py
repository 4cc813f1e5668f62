"""Value types: ids, format versions, workflow ids, identities, contexts."""

from __future__ import annotations

import pickle
import uuid

import pytest

import mako_engine as mk


def test_deterministic_ids_match_the_rust_crate() -> None:
    assert str(mk.TenantId.from_party_id("9900123456789")) == "5699ab15-89c8-5ff7-8ac2-fe77399c5425"
    assert str(mk.CorrelationId.from_interchange_ref("A000123")) == "e7a32fa6-fd4a-5801-b9e9-205f60a67183"


@pytest.mark.parametrize("cls", [mk.TenantId, mk.ProcessId, mk.EventId, mk.CorrelationId, mk.CausationId, mk.ConversationId])
def test_ids_generate_parse_compare_hash_pickle(cls: type) -> None:
    a, b = cls(), cls.generate()
    assert a != b
    assert uuid.UUID(str(a)).version == 4
    assert cls(str(a)) == a == cls.parse(str(a)) == cls(a.uuid)
    assert hash(cls(str(a))) == hash(a)
    assert len({a, cls(str(a)), b}) == 2
    assert repr(a) == f"{cls.__name__}('{a}')"
    assert pickle.loads(pickle.dumps(a)) == a
    assert str(cls.nil()) == "00000000-0000-0000-0000-000000000000"
    assert sorted([b, a]) == sorted([a, b])


def test_malformed_id_is_invalid_input_and_value_error() -> None:
    with pytest.raises(mk.InvalidInput) as info:
        mk.TenantId("not-a-uuid")
    assert isinstance(info.value, ValueError)
    assert info.value.is_invalid_input()


def test_format_version_parse_and_order() -> None:
    fv = mk.FormatVersion("FV2025-10-01")
    assert (fv.year, fv.month, fv.day) == (2025, 10, 1)
    assert str(fv) == "FV2025-10-01" and repr(fv) == "FormatVersion('FV2025-10-01')"
    assert mk.FormatVersion(2024, 4, 3) < fv
    assert mk.FormatVersion.parse("FV2025-10-01") == fv
    assert pickle.loads(pickle.dumps(fv)) == fv


@pytest.mark.parametrize("text, fragment",
                         [("2025-10-01", "FV"), ("FV2025-13-01", "month"), ("FV1999-01-01", "2000"), ("FV2025-02-30", "")])
def test_format_version_errors_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        mk.FormatVersion(text)
    assert isinstance(info.value, mk.InvalidInput)
    assert fragment in str(info.value)


def test_workflow_id() -> None:
    w = mk.WorkflowId("lifecycle", "FV2025-10-01")
    assert w.name == "lifecycle" and w.format_version == mk.FormatVersion("FV2025-10-01")
    assert str(w) == "lifecycle@FV2025-10-01"
    assert w == mk.WorkflowId("lifecycle", mk.FormatVersion(2025, 10, 1))
    assert repr(w) == "WorkflowId('lifecycle', 'FV2025-10-01')"
    with pytest.raises(mk.InvalidInput):
        mk.WorkflowId("x", "FV2025-1-1")


def test_process_identity_json_round_trip() -> None:
    tenant, process = mk.TenantId(), mk.ProcessId()
    identity = mk.ProcessIdentity(tenant, process, mk.WorkflowId("w", "FV2025-10-01"))
    assert identity.stream_id == f"process/{tenant}/{process}"
    text = identity.to_json()
    assert text.startswith('{"stream_id":')
    assert mk.ProcessIdentity.from_json(text) == identity
    assert mk.ProcessIdentity.from_json(identity.to_dict()) == identity
    assert identity.to_dict()["workflow_id"] == {"name": "w", "format_version": "FV2025-10-01"}
    assert pickle.loads(pickle.dumps(identity)) == identity


def test_process_identity_errors_name_the_field() -> None:
    good = mk.ProcessIdentity(mk.TenantId(), mk.ProcessId(), mk.WorkflowId("w", "FV2025-10-01")).to_dict()
    bad = dict(good, tenant_id="nope")
    with pytest.raises(mk.InvalidInput, match="tenant_id"):
        mk.ProcessIdentity.from_json(bad)
    mismatched = dict(good, stream_id="process/x/y")
    with pytest.raises(mk.InvalidInput):
        mk.ProcessIdentity.from_json(mismatched)
    with pytest.raises(mk.InvalidInput, match="JSON"):
        mk.ProcessIdentity.from_json("{not json")


def test_command_context() -> None:
    corr = mk.CorrelationId.from_interchange_ref("A000123")
    ctx = mk.CommandContext(correlation_id=corr)
    assert ctx.correlation_id == corr and ctx.causation_id is None and ctx.tenant_id is None
    ctx.causation_id = mk.CausationId.nil()
    assert "causation_id='00000000" in repr(ctx)
    with pytest.raises(TypeError):
        mk.CommandContext(corr)  # keyword-only
