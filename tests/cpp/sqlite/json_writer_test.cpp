// The writer of stored JSON (cpp/src/sqlite/json_writer.cpp) must give exactly Json::dump()'s text,
// and throw where Json::dump() throws.
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "../../../cpp/src/sqlite/json_writer.hpp"

using mako::Json;
using mako::sqlite::detail::JsonWriter;

namespace {
std::string written(const Json& value) {
  std::string out = "prefix|";  // appends, never replaces
  JsonWriter().append(value, out);
  REQUIRE(out.rfind("prefix|", 0) == 0);
  return out.substr(7);
}
}  // namespace

TEST_CASE("json writer: the same text as Json::dump()", "[json_writer]") {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls += static_cast<char>(c);
  controls += "\x7f\"\\/ end";
  const Json values[] = {
      Json(nullptr), Json(true), Json(false), Json(0), Json(-1), Json(42u),
      Json(std::numeric_limits<std::int64_t>::min()), Json(std::numeric_limits<std::int64_t>::max()),
      Json(std::numeric_limits<std::uint64_t>::max()), Json(0.5), Json(-1e300), Json(3.0), Json(1.0 / 3),
      Json(""), Json("plain"), Json(controls), Json("Grüße aus Köln ⚡ 😀"), Json::object(), Json::array(),
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

TEST_CASE("json writer: invalid UTF-8 is an error, as in Json::dump()", "[json_writer]") {
  for (const std::string bad : {std::string("\xC3\x28"), std::string("ok \xFF"), std::string("\xE2\x82")}) {
    CHECK_THROWS_AS(Json(bad).dump(), Json::exception);
    std::string out;
    CHECK_THROWS_AS(JsonWriter().append(Json(bad), out), Json::exception);
    Json nested = Json::object();
    nested[bad] = 1;  // also as a key
    CHECK_THROWS_AS(JsonWriter().append(nested, out), Json::exception);
  }
}
