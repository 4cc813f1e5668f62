// The writer of stored JSON (mako/core/json_text.hpp) must give exactly Json::dump()'s text, and
// throw where Json::dump() throws.
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include <mako/core/json_text.hpp>
#include <mako/core/typed_workflow.hpp>

#include "counter_workflow.hpp"

using mako::append_json;
using mako::Json;

namespace texted {
// An event that writes its own text (to_json_text) -- here one that fails halfway.
struct Event {
  std::string note;
  const char* event_type() const { return "Noted"; }
};
inline void to_json(Json& j, const Event& e) { j = Json{{"note", e.note}}; }
inline void from_json(const Json& j, Event& e) { e.note = j.at("note").get<std::string>(); }
inline void to_json_text(std::string& out, const Event& e) {
  out += "{\"note\":";
  mako::append_json_string(e.note, out);
  out += '}';
}
struct Workflow {
  struct State {};
  using Event = texted::Event;
  using Command = texted::Event;
  void apply(State&, const Event&) const {}
  std::vector<Event> handle(const State&, const Command& c) const { return {c}; }
};
inline void to_json(Json& j, const Workflow::State&) { j = Json::object(); }
inline void from_json(const Json&, Workflow::State&) {}
}  // namespace texted

namespace {
std::string written(const Json& value) {
  std::string out = "prefix|";  // appends, never replaces
  append_json(value, out);
  REQUIRE(out.rfind("prefix|", 0) == 0);
  return out.substr(7);
}
}  // namespace

TEST_CASE("json text: the same text as Json::dump()", "[json_text]") {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  controls += "\x7f\"\\/ end";
  const Json values[] = {
      Json(nullptr),
      Json(true),
      Json(false),
      Json(0),
      Json(-1),
      Json(42u),
      Json(std::numeric_limits<std::int64_t>::min()),
      Json(std::numeric_limits<std::int64_t>::max()),
      Json(std::numeric_limits<std::uint64_t>::max()),
      Json(0.5),
      Json(-1e300),
      Json(3.0),
      Json(1.0 / 3),
      Json(""),
      Json("plain"),
      Json(controls),
      Json("Grüße aus Köln ⚡ 😀"),
      Json::object(),
      Json::array(),
      Json::parse(R"({"type":"AnmeldungReceived","data":{"pid":"55001","malo":"41373559241","start":"2026-04-01",)"
                  R"("answer_code":null,"n":[1,-2,3.25,{"x":[]}],"ok":true,"z":{}}})"),
      Json::parse(R"([[],[[]],{"a":{"b":{"c":"d\"e"}}},"tab\there"])"),
      Json::binary({1, 2, 3}),
  };
  for (const auto& v : values) {
    INFO(v.dump());
    CHECK(written(v) == v.dump());
  }
  // Member order is insertion order, as stored.
  Json ordered = Json::object();
  ordered["z"] = 1;
  ordered["a"] = 2;
  CHECK(written(ordered) == R"({"z":1,"a":2})");
}

TEST_CASE("json text: invalid UTF-8 is an error, as in Json::dump()", "[json_text]") {
  for (const std::string bad : {std::string("\xC3\x28"), std::string("ok \xFF"), std::string("\xE2\x82")}) {
    CHECK_THROWS_AS(Json(bad).dump(), Json::exception);
    std::string out;
    CHECK_THROWS_AS(append_json(Json(bad), out), Json::exception);
    Json nested = Json::object();
    nested[bad] = 1;  // also as a key
    CHECK_THROWS_AS(append_json(nested, out), Json::exception);
  }
}

TEST_CASE("json text: a string alone, from any view, is quoted and escaped as Json::dump() does", "[json_text]") {
  const std::string text = "x\"quoted\"\ttab\\ \x01 Grüße y";
  for (std::size_t from = 0; from < text.size(); ++from) {
    const std::string_view view = std::string_view(text).substr(from, 12);
    INFO("from byte " << from);
    std::string out = "|";
    std::string expected;
    try {
      expected = "|" + Json(std::string(view)).dump();
    } catch (const Json::exception&) {  // a view cutting through "ü": invalid UTF-8 for both
      CHECK_THROWS_AS(mako::append_json_string(view, out), Json::exception);
      continue;
    }
    mako::append_json_string(view, out);
    CHECK(out == expected);
  }
  std::string out = "|";
  CHECK_THROWS_AS(mako::append_json_string("bad \xFF", out), Json::exception);
}

TEST_CASE("json text: an event payload appends json().dump(), native or plain", "[json_text]") {
  const mako::TypedWorkflowRuntime<counter::Workflow> runtime;
  const mako::NewEvent native = runtime.encode(counter::Event{7});
  REQUIRE(native.payload.native() != nullptr);
  std::string out = "|";
  native.payload.append_json_text(out);
  CHECK(out == "|" + native.payload.json().dump());
  out = "|";
  native.payload.append_json_text(out);  // now from the rendered JSON: the same
  CHECK(out == "|" + native.payload.json().dump());

  const mako::EventPayload plain(Json{{"type", "X"}, {"data", {{"a", 1}}}});
  out.clear();
  plain.append_json_text(out);
  CHECK(out == R"({"type":"X","data":{"a":1}})");
}

TEST_CASE("json text: an event type's own writer is used, and a failing one leaves nothing behind", "[json_text]") {
  const mako::TypedWorkflowRuntime<texted::Workflow> runtime;
  std::string out = "|";
  runtime.encode(texted::Event{"fine"}).payload.append_json_text(out);
  CHECK(out == R"(|{"note":"fine"})");
  const mako::NewEvent bad = runtime.encode(texted::Event{"bad \xFF"});
  out = "|";
  CHECK_THROWS_AS(bad.payload.append_json_text(out), Json::exception);
  CHECK(out == "|");  // the half-written object is gone
}
