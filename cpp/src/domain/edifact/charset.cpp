#include "mako/domain/edifact/charset.hpp"

#include <array>
#include <string_view>

namespace mako::edifact {
namespace {

// ISO 9735 level A repertoire besides letters and digits.
constexpr std::string_view kLevelAPunctuation = " .,-()/='+:?!\"%&*;<>";

constexpr bool level_a(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return kLevelAPunctuation.find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::optional<Charset> charset_from_syntax_id(std::string_view syntax_id) noexcept {
  if (syntax_id == "UNOA") return Charset::UNOA;
  if (syntax_id == "UNOB") return Charset::UNOB;
  if (syntax_id == "UNOC") return Charset::UNOC;
  return std::nullopt;
}

std::string_view to_string(Charset charset) noexcept {
  switch (charset) {
    case Charset::UNOA: return "UNOA";
    case Charset::UNOB: return "UNOB";
    case Charset::UNOC: return "UNOC";
  }
  return "?";
}

bool is_allowed_byte(Charset charset, unsigned char c) noexcept {
  switch (charset) {
    case Charset::UNOA: return level_a(c);
    case Charset::UNOB: return c >= 0x20 && c <= 0x7E;
    case Charset::UNOC: return (c >= 0x20 && c <= 0x7E) || c >= 0xA0;
  }
  return false;
}

std::size_t utf8_sequence_length(std::string_view bytes, std::size_t pos) noexcept {
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (pos >= bytes.size()) return 0;
  const unsigned char lead = at(pos);
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the first continuation byte
  if (lead >= 0xC2 && lead <= 0xDF) len = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    if (lead == 0xE0) lo = 0xA0;  // no overlong forms
    if (lead == 0xED) hi = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else return 0;
  if (pos + len > bytes.size()) return 0;
  if (at(pos + 1) < lo || at(pos + 1) > hi) return 0;
  for (std::size_t i = 2; i < len; ++i)
    if (at(pos + i) < 0x80 || at(pos + i) > 0xBF) return 0;
  return len;
}

void append_latin1_as_utf8(std::string_view latin1, std::string& out) {
  for (char ch : latin1) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
}

std::optional<std::string> encode_utf8(Charset charset, std::string_view utf8, std::size_t* error_offset) {
  std::string out;
  out.reserve(utf8.size());
  auto fail = [&](std::size_t at) -> std::optional<std::string> {
    if (error_offset) *error_offset = at;
    return std::nullopt;
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      if (!is_allowed_byte(charset, c)) return fail(i);
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence_length(utf8, i);
    if (len != 2 || charset != Charset::UNOC) return fail(i);  // only U+0080..U+07FF can be Latin-1
    const unsigned code = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
    if (code > 0xFF || !is_allowed_byte(charset, static_cast<unsigned char>(code))) return fail(i);
    out.push_back(static_cast<char>(code));
    i += 2;
  }
  return out;
}

}  // namespace mako::edifact
