#include <catch2/catch.hpp>

#include <mako/core/errors.hpp>
#include <mako/core/event_envelope.hpp>
#include <mako/core/process_identity.hpp>

using namespace mako;

namespace {
const char* kEnvelope =
    R"({"event_id":"0b5e7a52-3f0e-4d2a-9d1e-6c1f2a3b4c5d","stream_id":"process/5699ab15-89c8-5ff7-8ac2-fe77399c5425/00000000-0000-4000-8000-000000000001",)"
    R"("sequence_number":7,"timestamp":"2025-10-01T08:15:30.123456Z","correlation_id":"e7a32fa6-fd4a-5801-b9e9-205f60a67183",)"
    R"("causation_id":null,"conversation_id":"00000000-0000-4000-8000-000000000001","process_id":"00000000-0000-4000-8000-000000000001",)"
    R"("tenant_id":"5699ab15-89c8-5ff7-8ac2-fe77399c5425","workflow_id":{"name":"gpke.lieferbeginn","format_version":"FV2025-10-01"},)"
    R"("event_type":"AnmeldungReceived","schema_version":2,"payload":{"type":"AnmeldungReceived","data":{"malo":"41373559241","z":[1,2],"a":null}}})";
const char* kIdentity =
    R"({"stream_id":"process/5699ab15-89c8-5ff7-8ac2-fe77399c5425/00000000-0000-4000-8000-000000000001",)"
    R"("process_id":"00000000-0000-4000-8000-000000000001","tenant_id":"5699ab15-89c8-5ff7-8ac2-fe77399c5425",)"
    R"("workflow_id":{"name":"gpke.lieferbeginn","format_version":"FV2025-10-01"}})";
}  // namespace

TEST_CASE("event envelope JSON round-trips byte for byte in contract field order", "[json]") {
  auto e = EventEnvelope::from_json_string(kEnvelope);
  CHECK(e.sequence_number == 7);
  CHECK_FALSE(e.causation_id);
  CHECK(e.correlation_id->to_string() == "e7a32fa6-fd4a-5801-b9e9-205f60a67183");
  CHECK(e.workflow_id.format_version().to_string() == "FV2025-10-01");
  CHECK(e.to_json_string() == kEnvelope);
  std::vector<std::string> keys;
  const Json json = e.to_json();
  for (auto it = json.begin(); it != json.end(); ++it) keys.push_back(it.key());
  CHECK(keys == std::vector<std::string>{"event_id", "stream_id", "sequence_number", "timestamp", "correlation_id",
                                         "causation_id", "conversation_id", "process_id", "tenant_id", "workflow_id",
                                         "event_type", "schema_version", "payload"});
}

TEST_CASE("process identity JSON round-trips byte for byte", "[json]") {
  auto id = ProcessIdentity::from_json_string(kIdentity);
  CHECK(id.workflow_id.name() == "gpke.lieferbeginn");
  CHECK(id.to_json_string() == kIdentity);
  auto fresh = ProcessIdentity::create(TenantId(), ProcessId(), WorkflowId("w", "FV2025-06-06"));
  CHECK(ProcessIdentity::from_json_string(fresh.to_json_string()) == fresh);
}

TEST_CASE("malformed identity JSON is refused naming what is wrong", "[json][errors]") {
  auto mutate = [](auto&& change) {
    auto j = Json::parse(kIdentity);
    change(j);
    return j;
  };
  CHECK_THROWS_WITH(ProcessIdentity::from_json_string("{not json"),
                    Catch::Contains("process identity is not valid JSON"));
  CHECK_THROWS_WITH(ProcessIdentity::from_json_string("[]"), Catch::Contains("must be a JSON object"));
  CHECK_THROWS_WITH(ProcessIdentity::from_json(mutate([](Json& j) { j.erase("tenant_id"); })),
                    Catch::Contains("missing field 'tenant_id'"));
  CHECK_THROWS_WITH(ProcessIdentity::from_json(mutate([](Json& j) { j["process_id"] = "123"; })),
                    Catch::Contains("field 'process_id'"));
  CHECK_THROWS_WITH(ProcessIdentity::from_json(mutate([](Json& j) { j["process_id"] = 5; })),
                    Catch::Contains("'process_id' must be a string"));
  CHECK_THROWS_WITH(
      ProcessIdentity::from_json(mutate([](Json& j) { j["workflow_id"]["format_version"] = "FV2025-13-01"; })),
      Catch::Contains("month 13"));
  CHECK_THROWS_WITH(ProcessIdentity::from_json(mutate([](Json& j) { j["stream_id"] = "process/other"; })),
                    Catch::Contains("does not match"));
  CHECK_THROWS_WITH(ProcessIdentity::from_json(mutate([](Json& j) { j["stream_id"] = std::string("a\0b", 3); })),
                    Catch::Contains("NUL byte"));
  CHECK_THROWS_WITH(ProcessIdentity::from_json(mutate([](Json& j) { j["stream_id"] = ""; })),
                    Catch::Contains("must not be empty"));
  try {
    ProcessIdentity::from_json_string("{}");
    FAIL();
  } catch (const EngineError& e) {
    CHECK(e.is_invalid_input());
    CHECK_FALSE(e.is_transient());
  }
}

TEST_CASE("malformed envelope JSON is refused naming the field", "[json][errors]") {
  auto j = Json::parse(kEnvelope);
  j["sequence_number"] = -1;
  CHECK_THROWS_WITH(EventEnvelope::from_json(j), Catch::Contains("sequence_number"));
  j = Json::parse(kEnvelope);
  j["timestamp"] = "yesterday";
  CHECK_THROWS_WITH(EventEnvelope::from_json(j), Catch::Contains("field 'timestamp'"));
  j = Json::parse(kEnvelope);
  j.erase("payload");
  CHECK_THROWS_WITH(EventEnvelope::from_json(j), Catch::Contains("missing field 'payload'"));
}
