#include "mako/core/json_text.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace mako {

namespace {

// What nlohmann writes for each byte inside a string: 0 copy as is, 'u' \u00xx, 'x' not ASCII
// (the whole string goes to nlohmann), else the letter after a backslash.
constexpr std::array<char, 256> kEscape = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['"'] = '"';
  t['\\'] = '\\';
  for (int c = 0x80; c < 0x100; ++c) t[c] = 'x';
  return t;
}();

void fallback(const Json& value, std::string& out) {
  // Same settings as Json::dump(): no indentation, UTF-8 kept, invalid UTF-8 an error.
  nlohmann::detail::serializer<Json> s(nlohmann::detail::output_adapter<char>(out), ' ');
  s.dump(value, false, false, 0);
}

}  // namespace

const char* json_plain_run(const char* p, const char* end) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t k01 = 0x0101010101010101u, k80 = 0x8080808080808080u;
    // Per byte, the high bit is set at the first byte that is zero (below 0x20); bytes after it
    // may be flagged falsely (borrows), which the lowest flag ignores.
    auto zero = [](std::uint64_t v) { return (v - k01) & ~v & k80; };
    while (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      const std::uint64_t stop =
          zero(w ^ (k01 * '"')) | zero(w ^ (k01 * '\\')) | ((w - k01 * 0x20) & ~w & k80) | (w & k80);
      if (stop != 0) return p + std::countr_zero(stop) / 8;
      p += 8;
    }
  }
  for (; p != end; ++p)
    if (kEscape[static_cast<unsigned char>(*p)]) return p;
  return end;
}

void append_json_string(std::string_view s, std::string& out) {
  const std::size_t plain = static_cast<std::size_t>(json_plain_run(s.data(), s.data() + s.size()) - s.data());
  if (plain == s.size()) {  // the usual case: nothing to escape, one copy
    const std::size_t at = out.size();
    out.resize(at + s.size() + 2);
    char* d = out.data() + at;
    d[0] = '"';
    std::memcpy(d + 1, s.data(), s.size());
    d[s.size() + 1] = '"';
    return;
  }
  const std::size_t mark = out.size();
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = plain; i < s.size(); ++i) {
    const char e = kEscape[static_cast<unsigned char>(s[i])];
    if (!e) continue;
    if (e == 'x') {  // UTF-8: validated (and rejected) exactly as nlohmann does
      out.resize(mark);
      return fallback(Json(std::string(s)), out);
    }
    out.append(s.substr(run, i - run));
    if (e == 'u') {
      static constexpr char hex[] = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(s[i]);
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      out += '\\';
      out += e;
    }
    run = i + 1;
  }
  out.append(s.substr(run));
  out += '"';
}

void append_json(const Json& value, std::string& out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const Json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json_string(key, out);
        out += ':';
        append_json(member, out);
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value.get_ref<const Json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json(element, out);
      }
      out += ']';
      return;
    }
    case Json::value_t::string: return append_json_string(value.get_ref<const std::string&>(), out);
    case Json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case Json::value_t::null: out += "null"; return;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: {
      char digits[24];
      const auto r = value.is_number_unsigned()
                         ? std::to_chars(digits, digits + sizeof digits, value.get<std::uint64_t>())
                         : std::to_chars(digits, digits + sizeof digits, value.get<std::int64_t>());
      out.append(digits, r.ptr);
      return;
    }
    default: return fallback(value, out);  // floats (nlohmann's shortest round-trip form), binary, discarded
  }
}

}  // namespace mako
