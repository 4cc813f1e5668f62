// The replay JSON reader (cpp/src/core/json_reader.cpp) must give exactly what Json::parse gives,
// reusing the tree it parses into, and must leave everything else to Json::parse (return false).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "mako/core/json_reader.hpp"

using mako::Json;
using mako::parse_json_into;

namespace {
void same_as_nlohmann(const std::string& text, Json& reused) {
  INFO(text);
  const Json expected = Json::parse(text);
  REQUIRE(parse_json_into(text, reused));
  CHECK(reused == expected);
  CHECK(reused.dump() == expected.dump());
  CHECK(reused.type() == expected.type());
  // Types are part of the result: unsigned for non-negative integers, signed for negative ones.
  if (reused.is_object() && expected.is_object())
    for (auto it = expected.begin(); it != expected.end(); ++it) CHECK(reused.at(it.key()).type() == it.value().type());
}
}  // namespace

TEST_CASE("json reader: same values, types and member order as Json::parse", "[json_reader]") {
  Json reused;
  for (
      std::string text : {
          R"({"type":"Incremented","data":{"by":1}})", R"({"type":"Incremented","data":{"by":-1}})",
          R"({"type":"Other","data":{"b":2,"a":[1,2.5,-3e2,true,false,null,"x"],"z":{}}})", R"({"type":"Incremented"})",
          R"( { "a" : [ ] , "b" : { } , "c" : "" } )",
          R"(["tab\tnew\nline \"q\" \\ \/ \b\f\r",0,-0,0.0,-0.0,1E5,1e-5,123456789012345678])",
          R"({"big":18446744073709551615,"bigger":18446744073709551616,"neg":-9223372036854775808,"negger":-9223372036854775809})",
          R"({"umlaut":"Müller, Straße 5 – 10 €, 😀"})", R"("just a string")", "42", "-7", "3.25", "true", "null",
          R"({"type":"Incremented","data":{"by":1}})",  // back to the first shape
      }) {
    same_as_nlohmann(text, reused);
  }
}

TEST_CASE("json reader: leaves escapes, duplicates and malformed text to Json::parse", "[json_reader]") {
  Json out;
  for (const std::string& text : std::vector<std::string>{
           R"({"a":"\u00fc"})",
           R"({"a":1,"a":2})",
           R"({"a":1,})",
           R"([1,])",
           "01",
           "1.",
           "-",
           "1e400",
           R"({"a" 1})",
           "[1] x",
           "",
           "tru",
           R"("unterminated)",
           "\"bad \xC3\x28 utf8\"",
           "\"overlong \xC0\xAF\"",
           "\"surrogate \xED\xA0\x80\"",
           std::string("\"nul \0 inside\"", 14),
           "\"ctrl \x01\"",
       }) {
    INFO(text);
    CHECK_FALSE(parse_json_into(text, out));
  }
}

TEST_CASE("json reader: leaves to Json::parse what Json::parse takes beyond RFC 8259 and floats that round to 0",
          "[json_reader]") {
  // Json::parse's values here, which the caller's fallback then gives: a BOM is skipped, a NUL ends
  // the input, and a float too small for a subnormal is 0.0 (the reader takes subnormals itself).
  Json out;
  for (const auto& [text, value] : std::vector<std::pair<std::string, Json>>{
           {"\xEF\xBB\xBF{\"a\":1}", Json::parse(R"({"a":1})")},
           {std::string("[1]\0junk", 8), Json::parse("[1]")},
           {"[1e-400]", Json::parse("[0.0]")},
       }) {
    INFO(text);
    CHECK_FALSE(parse_json_into(text, out));
    CHECK(Json::parse(text) == value);
  }
  REQUIRE(parse_json_into("[4.9e-324]", out));
  CHECK(out == Json::parse("[4.9e-324]"));
  CHECK(out[0].get<double>() > 0.0);
}

TEST_CASE("json reader: a duplicate key is found also when the reused tree has the shape already", "[json_reader]") {
  Json out;
  REQUIRE(parse_json_into(R"({"a":1,"b":{"c":2,"d":3}})", out));
  CHECK_FALSE(parse_json_into(R"({"a":1,"a":2})", out));
  REQUIRE(parse_json_into(R"({"a":1,"b":{"c":2,"d":3}})", out));
  CHECK_FALSE(parse_json_into(R"({"a":1,"b":{"c":2,"c":3}})", out));
  // After a refused text the tree is unspecified, but the next text still parses exactly.
  REQUIRE(parse_json_into(R"({"a":-1,"b":{"c":2.5,"d":"x"}})", out));
  CHECK(out == Json::parse(R"({"a":-1,"b":{"c":2.5,"d":"x"}})"));
  CHECK(out["a"].is_number_integer());
  CHECK_FALSE(out["a"].is_number_unsigned());
}

TEST_CASE("json reader: plain strings, fresh or into a reused string node, short or long", "[json_reader]") {
  // Plain strings (no escapes, ASCII) are built straight from the text; the others go through the
  // escaping path. Both must give Json::parse's result into a fresh and into a reused tree.
  const std::string flat =
      R"({"pid":"55036","transaction_reference":"GP1A12D376BA8170C3","referenced_transaction":"SIM0001920",)"
      R"("malo":"47829439953","start":"2026-03-22","transaction_reason":"E03","sender":"9900467000000",)"
      R"("receiver":"9904590000002","sent_at":"2026-03-16T06:06:00Z","due":"2026-03-17T06:00:00Z",)"
      R"("existing_supplier":"9920691887834","empty":"","nested":{"a":"x","b":["long string value past SSO", ""]}})";
  const std::string other =
      R"({"pid":"x","transaction_reference":"short","referenced_transaction":"an \"escaped\" one past SSO",)"
      R"("malo":"Müller","start":1,"transaction_reason":"E03","sender":"","receiver":"9904590000002"})";
  Json fresh;
  same_as_nlohmann(flat, fresh);
  Json reused;
  same_as_nlohmann(other, reused);
  same_as_nlohmann(flat, reused);
  same_as_nlohmann(other, reused);
  same_as_nlohmann(R"("a top-level string longer than fifteen")", reused);
  same_as_nlohmann(R"("short")", reused);
}

TEST_CASE("json reader: wide objects grow without losing members or order, fresh or reused", "[json_reader]") {
  auto wide = [](int members, const std::string& prefix) {
    std::string text = "{";
    for (int i = 0; i < members; ++i) {
      if (i) text += ',';
      // Keys and values past the short-string buffer, so that growing moves (or copies) real strings.
      text += "\"" + prefix + "_member_key_" + std::to_string(i) + "\":\"a value longer than sixteen " +
              std::to_string(i) + "\"";
    }
    return text + "}";
  };
  for (int members : {7, 8, 9, 16, 17, 32}) {
    Json fresh;
    same_as_nlohmann(wide(members, "k"), fresh);
    // Whatever room the top-level object gets at first (service rows ask for 16).
    for (std::size_t room : {0, 1, 2, 16, 40}) {
      INFO(members << " members, room for " << room);
      Json hinted;
      REQUIRE(parse_json_into(wide(members, "k"), hinted, room));
      CHECK(hinted.dump() == Json::parse(wide(members, "k")).dump());
    }
  }
  Json reused;
  for (int members : {3, 9, 2, 17, 32, 5, 32}) same_as_nlohmann(wide(members, members % 2 ? "odd" : "even"), reused);
  Json nested;
  same_as_nlohmann("{\"outer\":" + wide(12, "in") + ",\"list\":[" + wide(10, "a") + "," + wide(11, "b") + "]}", nested);
}

TEST_CASE("json reader: a string's end, escape, control or non-ASCII byte is found at any offset", "[json_reader]") {
  // Plain runs are scanned eight bytes at a time: put every kind of stop at every offset of a word.
  for (std::size_t len = 0; len < 20; ++len) {
    const std::string run(len, 'x');
    Json out;
    for (const std::string& tail : {std::string(""), std::string("\\n"), std::string("\\\""), std::string("\\\\"),
                                    std::string("\xC3\xBC"), std::string("\xF0\x9F\x98\x80"), std::string("~\x7F")}) {
      same_as_nlohmann("{\"" + run + tail + "k\":\"" + run + tail + run + "\"}", out);
      same_as_nlohmann("\"" + run + tail + "\"", out);
    }
    for (const std::string& bad : {std::string("\x01"), std::string("\x1F"), std::string("\xC3"), std::string("\x80"),
                                   std::string("\\u00fc"), std::string("\\x")}) {
      INFO(len);
      CHECK_FALSE(parse_json_into("{\"" + run + bad + "\":1}", out));
      CHECK_FALSE(parse_json_into("[\"" + run + bad + run + "\"]", out));
    }
    CHECK_FALSE(parse_json_into("\"" + run, out));  // unterminated
  }
}
