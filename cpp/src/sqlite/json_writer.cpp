#include "json_writer.hpp"

#include <charconv>

namespace mako::sqlite::detail {

namespace {

// What nlohmann writes for each ASCII byte inside a string: 0 copy as is, 'u' \u00xx, else \<c>.
constexpr char escape_of(unsigned char c) {
  switch (c) {
    case '"': return '"';
    case '\\': return '\\';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return c < 0x20 ? 'u' : 0;
  }
}

}  // namespace

void JsonWriter::fallback(const Json& value, std::string& out) {
  // Same settings as Json::dump(): no indentation, UTF-8 kept, invalid UTF-8 an error.
  nlohmann::detail::serializer<Json> s(nlohmann::detail::output_adapter<char>(out), ' ');
  s.dump(value, false, false, 0);
}

void JsonWriter::string(const std::string& s, std::string& out) {
  for (unsigned char c : s)
    if (c >= 0x80) return fallback(Json(s), out);  // UTF-8: validated (and rejected) exactly as nlohmann does
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char e = escape_of(static_cast<unsigned char>(s[i]));
    if (!e) continue;
    out.append(s, run, i - run);
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
  out.append(s, run, std::string::npos);
  out += '"';
}

void JsonWriter::append(const Json& value, std::string& out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const Json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        string(key, out);
        out += ':';
        append(member, out);
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
        append(element, out);
      }
      out += ']';
      return;
    }
    case Json::value_t::string: return string(value.get_ref<const std::string&>(), out);
    case Json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case Json::value_t::null: out += "null"; return;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: {
      char digits[24];
      const auto r = value.is_number_unsigned() ? std::to_chars(digits, digits + sizeof digits, value.get<std::uint64_t>())
                                                : std::to_chars(digits, digits + sizeof digits, value.get<std::int64_t>());
      out.append(digits, r.ptr);
      return;
    }
    default: return fallback(value, out);  // floats (nlohmann's shortest round-trip form), binary, discarded
  }
}

}  // namespace mako::sqlite::detail
