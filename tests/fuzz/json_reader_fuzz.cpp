// libFuzzer target: the replay JSON reader (cpp/include/mako/core/json_reader.hpp) against nlohmann's
// parser (Json::parse), which it stands in for. Its contract, checked for every input:
//   1. when the reader accepts a text, Json::parse accepts it too and gives exactly the same value:
//      the same types (unsigned / signed / float, compared bit for bit), strings, keys and member
//      order;
//   2. when the reader refuses a text that Json::parse accepts, the text is one the header leaves to
//      Json::parse on purpose (see fast_path_leaves_it); anything else is a lost fast path or a
//      reader that refuses valid JSON;
//   3. the tree it parses into does not matter: the same text parsed into a fresh Json, into the
//      tree of the same text (the "same shape" path), and into whatever an earlier text left behind
//      (accepted or refused) is accepted alike and gives the same value. The input is checked whole,
//      and when it holds 0xFF bytes (never part of valid JSON) its pieces between them are parsed
//      one after the other into one tree, as replay parses one stream's payloads;
//   4. no crash, no sanitizer report, whatever the input.
// Refusing is always allowed to be partial: `out` is unspecified after a refusal. A failed property
// calls __builtin_trap(). Built by run.sh (libFuzzer) and, for the corpus replay in the normal test
// suite, by tests/cpp/CMakeLists.txt with replay_main.cpp.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "mako/core/json_reader.hpp"

namespace {

using mako::Json;
using mako::parse_json_into;

void require(bool property) {
  if (!property) __builtin_trap();
}

// Equal as the reader promises: value types too (Json's operator== takes 1u == 1 and 0.0 == -0.0),
// floats bit for bit, members in order. Only called on trees the reader built (depth <= 64).
bool identical(const Json& a, const Json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::value_t::object: {
      if (a.size() != b.size()) return false;
      auto i = a.items().begin();
      auto j = b.items().begin();
      for (; i != a.items().end(); ++i, ++j)
        if (i.key() != j.key() || !identical(i.value(), j.value())) return false;
      return true;
    }
    case Json::value_t::array:
      if (a.size() != b.size()) return false;
      for (std::size_t k = 0; k < a.size(); ++k)
        if (!identical(a[k], b[k])) return false;
      return true;
    case Json::value_t::number_float:
      return std::bit_cast<std::uint64_t>(a.get<double>()) == std::bit_cast<std::uint64_t>(b.get<double>());
    default: return a == b;
  }
}

// What Json::parse makes of the text, or nothing when it throws (parse_error; out_of_range for a
// float beyond double's range).
std::optional<Json> nlohmann_parse(std::string_view text) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

// Walks a text Json::parse accepts and notes what the reader leaves to Json::parse by design.
class Shape : public nlohmann::json_sax<Json> {
 public:
  bool duplicate_key = false;
  bool wide_object = false;  // more than 32 members
  bool deep = false;         // nesting deeper than 64
  bool underflow = false;    // a float too small for a subnormal, which Json::parse reads as 0.0

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t value, const string_t& token) override {
    // (One too large never gets here: Json::parse refuses it.)
    const std::string_view mantissa = std::string_view(token).substr(0, token.find_first_of("eE"));
    if (value == 0.0 && mantissa.find_first_of("123456789") != std::string_view::npos) underflow = true;
    return true;
  }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    keys_.emplace_back();
    return open();
  }
  bool key(string_t& k) override {
    if (!keys_.back().insert(k).second) duplicate_key = true;
    if (keys_.back().size() > 32) wide_object = true;
    return true;
  }
  bool end_object() override {
    keys_.pop_back();
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return open(); }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  bool open() {
    if (++depth_ > 64) deep = true;
    return true;
  }
  int depth_ = 0;
  std::vector<std::unordered_set<std::string>> keys_;
};

// True when the reader may refuse `text` although Json::parse accepts it: what json_reader.hpp
// leaves to Json::parse, plus two things Json::parse takes that are no JSON (RFC 8259) at all and
// that no store writes: a UTF-8 byte order mark before the value, and a NUL byte after it (nlohmann
// reads NUL as the end of the input).
bool fast_path_leaves_it(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) return true;
  // Backslashes occur only inside strings of valid JSON, each starting an escape of two bytes
  // (or six for \u), so this scan sees exactly the escapes.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      if (i + 1 < text.size() && text[i + 1] == 'u') return true;
      ++i;
    }
  }
  Shape shape;
  const bool parsed = Json::sax_parse(text.begin(), text.end(), &shape);
  require(parsed);  // only asked about texts Json::parse accepts
  if (shape.duplicate_key || shape.wide_object || shape.deep || shape.underflow) return true;
  // A NUL byte ends nlohmann's input: "1\0junk" is 1 to Json::parse and malformed to the reader.
  return text.find('\0') != std::string_view::npos;
}

// One text into `tree` (whatever it holds), checked against Json::parse. Returns whether the
// reader accepted it.
bool check(std::string_view text, Json& tree, std::size_t root_members, const std::optional<Json>& expected) {
  const bool accepted = parse_json_into(text, tree, root_members);
  if (accepted) {
    require(expected.has_value());        // 1. nothing malformed gets through
    require(identical(tree, *expected));  // 1. exactly Json::parse's value
  } else if (expected) {
    require(fast_path_leaves_it(text));  // 2. refused only by design
  }
  return accepted;
}

// Properties 1 to 3 for one text, with `tree` holding what the previous text left.
void check_all_ways(std::string_view text, Json& tree) {
  const auto expected = nlohmann_parse(text);
  Json fresh;
  const bool accepted = check(text, fresh, 8, expected);
  // A fresh top-level object with no room reserved (root_members 0) and with little.
  Json none;
  require(check(text, none, 0, expected) == accepted);
  Json one;
  require(check(text, one, 1, expected) == accepted);
  // 3. into the previous text's tree, then into its own (the same shape).
  require(check(text, tree, 16, expected) == accepted);
  require(check(text, tree, 8, expected) == accepted);
  // What callers do after a refusal: Json::parse takes over, and the next text parses into its tree.
  if (!accepted && expected) tree = *expected;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Json tree;
  check_all_ways(bytes, tree);
  // 3. A stream of texts separated by 0xFF, each parsed into the tree the previous one left.
  if (bytes.find('\xFF') == std::string_view::npos) return 0;
  Json stream;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = bytes.find('\xFF', start);
    const std::string_view piece =
        bytes.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    // A refused malformed piece leaves the tree half-built for the next one.
    check_all_ways(piece, stream);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return 0;
}

// The generated seeds for replay_main.cpp: edge cases easier made than written by hand.
std::vector<std::string> fuzz_generated_seeds() {
  std::vector<std::string> seeds;
  for (int depth : {63, 64, 65, 200}) {
    seeds.push_back(std::string(depth, '[') + std::string(depth, ']'));
    std::string objects;
    for (int i = 0; i < depth; ++i) objects += "{\"k\":";
    objects += "null" + std::string(depth, '}');
    seeds.push_back(objects);
  }
  for (int width : {31, 32, 33, 64}) {
    std::string object = "{";
    for (int i = 0; i < width; ++i) object += (i ? ",\"m" : "\"m") + std::to_string(i) + "\":" + std::to_string(i);
    seeds.push_back(object + "}");
    // The same object once more, its members reversed, after the first in one stream.
    std::string reversed = "{";
    for (int i = width - 1; i >= 0; --i) reversed += (i != width - 1 ? ",\"m" : "\"m") + std::to_string(i) + "\":\"v\"";
    seeds.push_back(seeds.back() + "\xFF" + reversed + "}" + "\xFF" + seeds.back());
  }
  return seeds;
}
