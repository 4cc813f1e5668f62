#include "mako/domain/edifact/writer.hpp"

#include <array>
#include <vector>

namespace mako::edifact {
namespace {

using ByteTable = std::array<bool, 256>;

const ByteTable& allowed_bytes(Charset charset) {
  static const auto make = [](Charset cs) {
    ByteTable t{};
    for (unsigned b = 0; b < 256; ++b) t[b] = is_allowed_byte(cs, static_cast<unsigned char>(b));
    return t;
  };
  static const ByteTable unoa = make(Charset::UNOA), unob = make(Charset::UNOB), unoc = make(Charset::UNOC);
  return charset == Charset::UNOA ? unoa : charset == Charset::UNOB ? unob : unoc;
}

[[noreturn]] void unwritable(std::string_view value, Charset charset, std::size_t at) {
  throw WriteError("cannot write value '" + std::string(value) + "' in " + std::string(to_string(charset)) +
                   ": unsupported character at byte " + std::to_string(at));
}

// What write_value does with each byte of a value, for one set of separators and a charset.
enum ByteAction : unsigned char { kCopy, kRelease, kUtf8, kRefuse };
using ActionTable = std::array<unsigned char, 256>;  // ByteAction per byte (SegmentWriter keeps a copy)

const ActionTable& actions_for(const Separators& s, Charset charset) {
  // One table per thread, rebuilt only when the separators or the charset change (rarely: an
  // engine writes everything with the same ones).
  thread_local ActionTable table{};
  thread_local Separators table_seps{};
  thread_local int table_charset = -1;
  if (table_charset == static_cast<int>(charset) && table_seps == s) return table;
  const ByteTable& allowed = allowed_bytes(charset);
  for (unsigned b = 0; b < 256; ++b) {
    const char ch = static_cast<char>(b);
    // Values hold UTF-8, so a byte >= 0x80 is part of a sequence even when a Latin-1 UNA
    // made that byte a separator: the decoded character is compared in write_value.
    table[b] = b >= 0x80 ? kUtf8 : s.needs_release(ch) ? kRelease : allowed[b] ? kCopy : kRefuse;
  }
  table_seps = s;
  table_charset = static_cast<int>(charset);
  return table;
}

// UTF-8 -> wire repertoire, escaping separators. A separator is always writable (escaped), even
// when an exotic UNA made it a character outside the repertoire; the parser accepts it the same way.
// Runs of plain bytes are copied at once.
void write_value(std::string& out, std::string_view value, const ActionTable& action, const Separators& s,
                 Charset charset) {
  // Four bytes per step while all are plain (kCopy is 0), then byte by byte.
  const auto* bytes = reinterpret_cast<const unsigned char*>(value.data());
  const std::size_t n = value.size();
  std::size_t i = 0;
  static_assert(kCopy == 0);
  while (i + 4 <= n && (action[bytes[i]] | action[bytes[i + 1]] | action[bytes[i + 2]] | action[bytes[i + 3]]) == 0)
    i += 4;
  while (i < n && action[bytes[i]] == kCopy) ++i;
  if (i == n) {  // the usual case: nothing to escape or transcode
    out.append(value);
    return;
  }
  std::size_t run = 0;
  while (i < value.size()) {
    auto c = static_cast<unsigned char>(value[i]);
    const auto a = static_cast<ByteAction>(action[c]);
    if (a == kCopy) {
      ++i;
      continue;
    }
    out.append(value.substr(run, i - run));
    if (a == kUtf8) {
      if (utf8_sequence_length(value, i) != 2) unwritable(value, charset, i);
      const unsigned code = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(value[i + 1]) & 0x3Fu);
      if (code > 0xFF || charset != Charset::UNOC) unwritable(value, charset, i);
      c = static_cast<unsigned char>(code);
      i += 2;
      // The Latin-1 byte it stands for may itself be a separator or outside the repertoire.
      const char ch = static_cast<char>(c);
      if (s.needs_release(ch)) out.push_back(s.release);
      else if (!allowed_bytes(charset)[c]) unwritable(value, charset, i - 1);
      out.push_back(ch);
    } else if (a == kRelease) {
      out.push_back(s.release);
      out.push_back(static_cast<char>(c));
      ++i;
    } else {
      unwritable(value, charset, i);
    }
    run = i;
  }
  out.append(value.substr(run));
}

Charset charset_of(const Interchange& ic) {
  const auto cs = charset_from_syntax_id(ic.syntax_id);
  if (!cs) throw WriteError("unknown syntax identifier '" + ic.syntax_id + "' (expected UNOA, UNOB or UNOC)");
  return *cs;
}

void put_party(SegmentWriter& w, const Party& p) {
  w.element(p.id).component(p.qualifier);
  if (!p.routing.empty()) w.component(p.routing);
}

void put_extra(SegmentWriter& w, const std::vector<Element>& elements) {
  for (const Element& e : elements) {
    w.element(e.empty() ? std::string_view{} : std::string_view{e[0]});
    for (std::size_t c = 1; c < e.size(); ++c) w.component(e[c]);
  }
}

}  // namespace

namespace {

void write_segment(std::string& out, const Segment& segment, const ActionTable& action, const Separators& s,
                   Charset charset) {
  out += segment.tag;
  for (const Element& element : segment.elements) {
    out.push_back(s.element);
    for (std::size_t c = 0; c < element.size(); ++c) {
      if (c) out.push_back(s.component);
      write_value(out, element[c], action, s, charset);
    }
  }
  out.push_back(s.segment);
}

}  // namespace

void write_segment(std::string& out, const Segment& segment, const Separators& s, Charset charset) {
  write_segment(out, segment, actions_for(s, charset), s, charset);
}

SegmentWriter::SegmentWriter(std::string& out, const Separators& separators, Charset charset,
                             std::string_view line_break)
    : out_(out),
      separators_(separators),
      charset_(charset),
      line_break_(line_break),
      actions_(actions_for(separators, charset)) {}

SegmentWriter& SegmentWriter::element(std::string_view first_component) {
  out_.push_back(separators_.element);
  write_value(out_, first_component, actions_, separators_, charset_);
  return *this;
}

SegmentWriter& SegmentWriter::component(std::string_view value) {
  out_.push_back(separators_.component);
  write_value(out_, value, actions_, separators_, charset_);
  return *this;
}

void SegmentWriter::segment(const Segment& segment) {
  write_segment(out_, segment, actions_, separators_, charset_);
  out_.append(line_break_);
}

std::string write(const Interchange& ic) {
  const Charset charset = charset_of(ic);
  const Separators& s = ic.separators;
  std::string out;
  std::size_t estimate = 256;
  for (const auto& m : ic.messages) estimate += 64 + m.segments.size() * 40;
  out.reserve(estimate);
  // Service segments are written directly: building them as Segments cost more than the body.
  SegmentWriter w(out, s, charset, ic.line_break);

  if (ic.has_una) {
    out += s.una();
    out += ic.line_break;
  }
  w.begin("UNB").element(ic.syntax_id).component(ic.syntax_version);
  for (const auto& c : ic.syntax_extra) w.component(c);
  put_party(w, ic.sender);
  put_party(w, ic.receiver);
  w.element(ic.date).component(ic.time);
  w.element(ic.reference);
  put_extra(w, ic.header_extra);
  w.end();

  for (const Message& m : ic.messages) {
    w.begin("UNH").element(m.reference).element(m.type);
    const std::string* s009[] = {&m.version, &m.release, &m.agency, &m.association};
    std::size_t n = 4;
    // Omit trailing empty components (e.g. no association code) as ISO 9735 requires.
    if (m.identifier_extra.empty())
      while (n > 0 && s009[n - 1]->empty()) --n;
    for (std::size_t i = 0; i < n; ++i) w.component(*s009[i]);
    for (const auto& c : m.identifier_extra) w.component(c);
    put_extra(w, m.header_extra);
    w.end();
    for (const Segment& seg : m.segments) w.segment(seg);
    w.begin("UNT").element(std::to_string(m.segment_count())).element(m.reference).end();
  }
  w.begin("UNZ").element(std::to_string(ic.messages.size())).element(ic.reference).end();
  return out;
}

}  // namespace mako::edifact
