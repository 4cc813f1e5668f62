#pragma once
// What the runtime stores contract runs against: an event store and the runtime stores its commits
// feed, plus helpers to commit as a process.
#include <memory>

#include <mako/core/event_store.hpp>
#include <mako/core/runtime_stores.hpp>

namespace contract {

struct RuntimeFixture {
  std::shared_ptr<mako::EventStore> events;
  mako::RuntimeStores stores;
};

inline mako::Timestamp at(const char* text) { return mako::parse_rfc3339(text); }

inline mako::ProcessIdentity new_process(const mako::TenantId& tenant, const char* workflow = "answering") {
  return mako::ProcessIdentity::create(tenant, mako::ProcessId::generate(), mako::WorkflowId(workflow, "FV2025-10-01"));
}

// One event of `process` at time `when`, appended at whatever version the stream has.
inline mako::CommitBatch process_commit(const mako::ProcessIdentity& p, mako::Timestamp when) {
  mako::CommitBatch b{p.stream_id, mako::ExpectedVersion::any(), {}, {}, {}, {}};
  mako::EventEnvelope& e = b.events.emplace_back();
  e.stream_id = p.stream_id;
  e.timestamp = when;
  e.conversation_id = mako::ConversationId(p.process_id.uuid());
  e.process_id = p.process_id;
  e.tenant_id = p.tenant_id;
  e.workflow_id = p.workflow_id;
  e.event_type = "Happened";
  e.payload = mako::Json{{"type", "Happened"}};
  return b;
}

inline mako::OutboundMessage message(const std::string& key, const std::string& step = "Send") {
  return mako::OutboundMessage{step, "4012345000023", "UTILMD", mako::Json{{"k", key}}, key};
}

}  // namespace contract
