// libFuzzer target for the EDIFACT codec. Besides "no crash / no sanitizer report" it checks
// properties that must hold for every input:
//   1. parse_views() (the inbound hot path) agrees with parse(): the same interchange, or the same
//      ParseError (message, segment number, byte offset, tag), also through a reused
//      ParsedInterchange;
//   2. write() never fails on a parsed interchange, and parse(write(x)) == x  (model round trip);
//   3. write(parse(write(x))) == write(x)  (writer output is a fixed point, byte for byte);
//   4. each typed view reads a message of parse() and of parse_views() alike (same value or same
//      ParseError), and read(build(read(m))) == read(m);
//   5. each direct writer (write_*_interchange, the outbound hot path) writes the same bytes as
//      build + make_interchange + write(), or fails with the same WriteError;
//   6. the AHB checker (check_utilmd_ahb) takes every UTILMD the reader accepts.
// Only ParseError / WriteError are expected exceptions; anything else escapes and is a crash.
// A failed property calls __builtin_trap(). Built by run.sh (libFuzzer) and, for the corpus
// replay in the normal test suite, by tests/cpp/CMakeLists.txt with replay_main.cpp.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "mako/domain/edifact/ahb_check.hpp"
#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/edifact/envelope.hpp"
#include "mako/domain/edifact/parsed_view.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/edifact/validation.hpp"
#include "mako/domain/edifact/writer.hpp"

namespace {

using namespace mako::edifact;

void require(bool property) {
  if (!property) __builtin_trap();
}

struct Failure {
  std::string what;
  std::size_t number = 0;
  std::size_t offset = 0;
  std::string tag;
  friend bool operator==(const Failure&, const Failure&) = default;
};

// What a call returned, or the ParseError / WriteError it threw.
template <class T>
using Outcome = std::variant<T, Failure>;

template <class F>
auto outcome(F&& f) -> Outcome<decltype(f())> {
  try {
    return f();
  } catch (const ParseError& e) {
    return Failure{e.what(), e.segment_number(), e.byte_offset(), e.segment_tag()};
  } catch (const WriteError& e) {
    return Failure{e.what(), 0, 0, "write"};
  }
}

const std::chrono::sys_seconds kPreparedAt{std::chrono::seconds{1751360400}};  // 2025-07-01T09:00Z

// A typed view as the round trip can keep it: a UTILMD transaction's other_segments only name the
// segments the model does not carry (for the AHB check); they are not written back.
template <class View>
View comparable(View v) {
  if constexpr (std::is_same_v<View, UtilmdMessage>)
    for (auto& t : v.transactions) t.other_segments.clear();
  return v;
}

// Property 4 for one view type; returns the value when the message is valid.
template <class Read, class Build>
auto check_view(const Message& m, const MessageView& v, Read read, Build build) {
  using View = decltype(read(m));
  const Outcome<View> from_model = outcome([&] { return read(m); });
  require(from_model == outcome([&] { return read(v); }));
  if (const View* view = std::get_if<View>(&from_model)) {
    require(comparable(read(build(*view))) == comparable(*view));
    return std::optional<View>(*view);
  }
  return std::optional<View>();
}

// APERAK: the builder writes the layout of the release and may refuse what the MIG does not
// admit (std::invalid_argument); it normalises (drops RFF+ACW where the release has none, cuts
// texts to 512 characters), so the view is stable from the first rebuild on.
void check_normalised_view(const Message& m) {
  try {
    const auto once = read_aperak(build_aperak(read_aperak(m)));
    if (!(read_aperak(build_aperak(once)) == once)) __builtin_trap();
  } catch (const ParseError&) {
  } catch (const std::invalid_argument&) {}
}

void check_messages(const Interchange& ic, const ParsedInterchange& parsed) {
  for (std::size_t i = 0; i < ic.messages.size(); ++i) {
    const Message& m = ic.messages[i];
    const MessageView& v = parsed.messages[i];
    if (m.type == "UTILMD") {
      auto read = [](const auto& msg) { return read_utilmd(msg); };
      if (const auto u = check_view(m, v, read, build_utilmd)) {
        // 6. the AHB checker takes every message the reader accepts, naming each finding.
        for (const auto& finding : check_utilmd_ahb(*u)) require(!finding.message().empty());
        require(outcome([&] { return write_utilmd_interchange(*u, ic.reference, kPreparedAt); }) == outcome([&] {
                  return write(make_interchange(u->sender, u->receiver, ic.reference, kPreparedAt, {build_utilmd(*u)}));
                }));
      }
    } else if (m.type == "APERAK") {
      // The APERAK builder normalises to the layout of the release (check_normalised_view)
      // and refuses what the MIG does not admit (std::invalid_argument).
      auto read = [](const auto& msg) { return read_aperak(msg); };
      using View = decltype(read(m));
      const Outcome<View> from_model = outcome([&] { return read(m); });
      require(from_model == outcome([&] { return read(v); }));
      check_normalised_view(m);
      if (const View* a = std::get_if<View>(&from_model)) {
        try {
          require(outcome([&] { return write_aperak_interchange(*a, ic.reference, kPreparedAt); }) == outcome([&] {
                    return write(
                        make_interchange(a->sender, a->receiver, ic.reference, kPreparedAt, {build_aperak(*a)}));
                  }));
        } catch (const std::invalid_argument&) {}
      }
    } else if (m.type == "CONTRL") {
      auto read = [](const auto& msg) { return read_contrl(msg); };
      if (const auto c = check_view(m, v, read, build_contrl)) {
        // A CONTRL goes back to the sender of the interchange it acknowledges.
        const MarketPartner from{ic.receiver.id, std::string(code_list_for_unb_qualifier(ic.receiver.qualifier))};
        const MarketPartner to{ic.sender.id, std::string(code_list_for_unb_qualifier(ic.sender.qualifier))};
        require(
            outcome([&] { return write_contrl_interchange(*c, from, to, ic.reference, kPreparedAt); }) ==
            outcome([&] { return write(make_interchange(from, to, ic.reference, kPreparedAt, {build_contrl(*c)})); }));
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    (void)parse_segments(bytes);
  } catch (const ParseError&) {}

  // 1. parse_views == parse, fresh and through a reused ParsedInterchange.
  const auto expected = outcome([&] { return parse(bytes); });
  ParsedInterchange parsed;
  const auto viewed = outcome([&] {
    parse_views(bytes, parsed);
    return parsed.to_interchange();
  });
  require(viewed == expected);
  static ParsedInterchange reused;
  require(outcome([&] {
            parse_views(bytes, reused);
            return reused.to_interchange();
          }) == expected);
  const Interchange* ic = std::get_if<Interchange>(&expected);
  if (!ic) return 0;
  require(parsed.messages.size() == ic->messages.size());

  // 2. and 3. the model round trip.
  const std::string written = write(*ic);
  const Interchange again = parse(written);
  require(again == *ic);
  require(write(again) == written);

  try {
    validate_messages(*ic);
  } catch (const ParseError&) {}
  // 4. and 5. typed views and direct writers.
  check_messages(*ic, parsed);
  return 0;
}

// The generated seeds for replay_main.cpp: the same ones run.sh starts the fuzzer from (dump_corpus.cpp).
std::vector<std::string> fuzz_generated_seeds() {
  namespace corpus = mako::edifact::corpus;
  std::vector<std::string> seeds;
  for (const auto& ex : corpus::gpke_examples()) seeds.push_back(ex.bytes);
  for (const auto& ex : corpus::invalid_examples()) seeds.push_back(ex.bytes);
  seeds.push_back(corpus::utilmd_bulk_interchange(20));
  return seeds;
}
