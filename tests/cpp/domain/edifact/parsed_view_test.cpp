// parse_views (the inbound pipeline's parse) against parse(): the same interchange, the same
// typed views, and the same ParseError (message, segment, offset, tag) on every input, including
// the invalid corpus and every truncation / single-byte corruption of the valid corpus.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <variant>

#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/edifact/parsed_view.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/utilmd.hpp"

using namespace mako::edifact;

namespace {

struct Failure {
  std::string what;
  std::size_t number;
  std::size_t offset;
  std::string tag;
  friend bool operator==(const Failure&, const Failure&) = default;
};

Failure failure_of(const ParseError& e) { return {e.what(), e.segment_number(), e.byte_offset(), e.segment_tag()}; }

// A typed view's outcome: the value, or the error it threw.
template <class T>
using Outcome = std::variant<T, Failure>;

template <class F>
auto outcome(F&& f) -> Outcome<decltype(f())> {
  try {
    return f();
  } catch (const ParseError& e) {
    return failure_of(e);
  }
}

template <class Msg>
void compare_views(const Message& m, const Msg& v) {
  if (m.type == "UTILMD") CHECK(outcome([&] { return read_utilmd(m); }) == outcome([&] { return read_utilmd(v); }));
  if (m.type == "CONTRL") CHECK(outcome([&] { return read_contrl(m); }) == outcome([&] { return read_contrl(v); }));
  if (m.type == "APERAK") CHECK(outcome([&] { return read_aperak(m); }) == outcome([&] { return read_aperak(v); }));
}

// parse(bytes) and parse_views(bytes) agree in every respect; returns whether they parsed.
bool same_as_parse(const std::string& bytes, const ParseOptions& options = {}) {
  std::optional<Interchange> expected;
  std::optional<Failure> expected_error;
  try {
    expected = parse(bytes, options);
  } catch (const ParseError& e) {
    expected_error = failure_of(e);
  }
  ParsedInterchange parsed;
  std::optional<Failure> error;
  try {
    parse_views(bytes, parsed, options);
  } catch (const ParseError& e) {
    error = failure_of(e);
  }
  CHECK(error == expected_error);
  // The same through one ParsedInterchange reused for every input (what the pipeline does).
  static ParsedInterchange reused;
  std::optional<Failure> reused_error;
  try {
    parse_views(bytes, reused, options);
  } catch (const ParseError& e) {
    reused_error = failure_of(e);
  }
  CHECK(reused_error == expected_error);
  if (!expected || error) return false;
  CHECK(reused.to_interchange() == *expected);
  const Interchange got = parsed.to_interchange();
  CHECK(got == *expected);
  CHECK(got.line_break == expected->line_break);
  REQUIRE(parsed.messages.size() == expected->messages.size());
  for (std::size_t i = 0; i < parsed.messages.size(); ++i) {
    const Message& m = expected->messages[i];
    const MessageView& v = parsed.messages[i];
    CHECK(v.number == m.number);
    CHECK(v.offset == m.offset);
    REQUIRE(v.segments.size() == m.segments.size());
    for (std::size_t s = 0; s < m.segments.size(); ++s) {
      CHECK(v.segments[s].number == m.segments[s].number);
      CHECK(v.segments[s].offset == m.segments[s].offset);
      CHECK(v.segments[s].has(1, 1) == m.segments[s].has(1, 1));
      CHECK(v.segments[s].is("NAD", "MS") == m.segments[s].is("NAD", "MS"));
    }
    compare_views(m, v);
  }
  return true;
}

}  // namespace

TEST_CASE("parse_views equals parse on the valid corpus, with both ParseOptions") {
  ParseOptions lenient;
  lenient.reject_utf8_in_unoc = false;
  lenient.check_market_partners = false;
  for (const auto& ex : corpus::gpke_examples()) {
    INFO(ex.name);
    CHECK(same_as_parse(ex.bytes));
    CHECK(same_as_parse(ex.bytes, lenient));
  }
  CHECK(same_as_parse(corpus::utilmd_bulk_interchange(40)));
}

TEST_CASE("parse_views fails like parse on the invalid corpus") {
  for (const auto& ex : corpus::invalid_examples()) {
    INFO(ex.name);
    CHECK(same_as_parse(ex.bytes) == !ex.fails_in_parse);
  }
}

TEST_CASE("parse_views fails like parse on every truncation and single-byte corruption") {
  const auto examples = corpus::gpke_examples();
  for (const auto& ex : examples) {
    INFO(ex.name);
    for (std::size_t n = 0; n < ex.bytes.size(); ++n) {
      INFO("truncated to " << n);
      same_as_parse(ex.bytes.substr(0, n));
    }
    for (std::size_t i = 0; i < ex.bytes.size(); ++i)
      for (const char c : {'\'', '+', ':', '?', 'x', '\xE4', '\n', '\xC3'}) {
        std::string b = ex.bytes;
        b[i] = c;
        INFO("byte " << i << " set to " << static_cast<int>(static_cast<unsigned char>(c)));
        same_as_parse(b);
      }
  }
}

TEST_CASE("parse_views: escapes and Latin-1 in many segments keep their values") {
  // Unescaped/transcoded values live in one buffer that must not move while the views exist.
  std::string body;
  const std::size_t n = 300;
  for (std::size_t i = 0; i < n; ++i) body += "FTX+AAO+++Z\xE4hler?+" + std::to_string(i) + "?:\xDF??:x'";
  const std::string bytes =
      "UNA:+.? 'UNB+UNOC:3+9904590000002:500+9900467000000:500+250602:1000+REF1'"
      "UNH+M1+UTILMD:D:11A:UN:S2.1'" +
      body + "UNT+" + std::to_string(n + 2) + "+M1'UNZ+1+REF1'";
  REQUIRE(same_as_parse(bytes));
  ParsedInterchange parsed;
  parse_views(bytes, parsed);
  CHECK(parsed.messages.at(0).segments[7].value(3) == "Z\xC3\xA4hler+7:\xC3\x9F?");
  CHECK(parsed.messages.at(0).segments[7].value(3, 1) == "x");
  CHECK(parsed.messages.at(0).segments[n - 1].value(3) == "Z\xC3\xA4hler+" + std::to_string(n - 1) + ":\xC3\x9F?");
  CHECK(parsed.messages.at(0).segments[0].value(9, 9).empty());
  CHECK_FALSE(parsed.messages.at(0).segments[0].has(3, 3));
  CHECK(parsed.messages.at(0).segments[0].component_count(3) == 2);
  CHECK(parsed.messages.at(0).segments[0].component_count(9) == 0);
  // clear() gives back the state of a new one
  parsed.header.syntax_extra = {"x"};
  parsed.header.header_extra = {Element{"y"}};
  parsed.header.sender.routing = "r";
  parsed.clear();
  CHECK(parsed.header == Interchange{});
  CHECK(parsed.messages.empty());
}

TEST_CASE("parse_views fails like parse on hand-made malformed input") {
  const std::string unb = "UNB+UNOC:3+9904590000002:500+9900467000000:500+250602:1000+REF1'";
  const std::string unh = "UNH+M1+UTILMD:D:11A:UN:S2.1'";
  for (const std::string& bytes :
       std::vector<std::string>{"",
                                "UNA",
                                "UNA:+",
                                "UNA::.? '",
                                "UNA:+.? 'UNB",
                                "UNH+1+X'UNT+2+1'",
                                "UNB+XXXX:3+A+B+C:D+E'",
                                unb,
                                unb + unh,
                                unb + unh + "FTX+a?",
                                unb + unh + "FTX+a?b'",
                                unb + unh + "ftx+X'",
                                unb + unh + "FTX+A\xE2\x82\xAC'UNT+3+M1'UNZ+1+REF1'",
                                unb + unh + "FTX+A\x01'UNT+3+M1'UNZ+1+REF1'",
                                unb + unh + "UNT+3+M1'UNZ+1+REF1'",
                                unb + unh + "UNT+2+M2'UNZ+1+REF1'",
                                unb + unh + "UNT+2+M1+X'UNZ+1+REF1'",
                                unb + unh + "UNT+2+M1'UNZ+2+REF1'",
                                unb + unh + "UNT+2+M1'UNZ+1+REF2'",
                                unb + unh + "UNT+2+M1'UNZ+1+REF1+X'",
                                unb + unh + "UNT+2+M1'",
                                unb + "UNG+X'",
                                unb + "UNT+2+1'",
                                unb + "FTX+X'",
                                unb + "UNZ+0+REF1'UNB+X'",
                                unb + "UNH+M1:2+UTILMD'",
                                unb + "UNH+M1'",
                                unb + "UNH++UTILMD'",
                                unb + "UNH+M1+:D'",
                                "UNB+UNOC:3+A:500:X:Y+B+C:D+E'",
                                "UNB+UNOC:3+A+B+C:D+E:F'",
                                "UNB+UNOC:3+A+B+C:D+E+F:G+H'UNZ+0+E'",
                                "UNB+UNOC:3:X:Y+A+B+C:D+E'UNZ+0+E'",
                                "UNB+UNOC+A+B+C:D+E'",
                                "UNB+UNOC:3+A+B+C'",
                                "UNB+UNOA:3+A+B+C:D+e'",
                                "UNB+UNOB:3+A+B+C:D+\xE4'",
                                "UNB'",
                                unb + "UNH+M1+UTILMD:D:11A:UN:S2.1:X:Y+EXTRA:1+E2'UNT+2+M1'UNZ+1+REF1'",
                                unb + unh + "BGM+E01+D1'NAD+MS+9904590000001::293'UNT+4+M1'UNZ+1+REF1'",
                                unb + unh + "BGM+E01+D1'NAD+MR+9900467000000::332'UNT+4+M1'UNZ+1+REF1'",
                                "UNB+UNOC:3+A+B+C:D+E'\r\nUNZ+0+E'\r\n",
                                "UNA|^.! ~UNB^UNOC|3^A^B^C|D^E~UNZ^0^E~"}) {
    INFO(bytes);
    same_as_parse(bytes);
    ParseOptions lenient;
    lenient.reject_utf8_in_unoc = false;
    lenient.check_market_partners = false;
    same_as_parse(bytes, lenient);
  }
}
