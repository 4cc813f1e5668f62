#include "mako/domain/edifact/aperak.hpp"

#include <algorithm>
#include <stdexcept>

#include "envelope_writer.hpp"
#include "mako/domain/edifact/charset.hpp"
#include "mako/domain/edifact/message_release.hpp"
#include "view_support.hpp"

namespace mako::edifact {

using detail::fail;
using detail::quoted;

const std::vector<std::string_view>& aperak_error_codes() {
  static const std::vector<std::string_view> codes = {"Z10", "Z14", "Z15", "Z16", "Z17", "Z18", "Z19", "Z20", "Z21",
                                                      "Z24", "Z25", "Z26", "Z27", "Z29", "Z30", "Z31", "Z33", "Z34",
                                                      "Z35", "Z37", "Z38", "Z39", "Z40", "Z41", "Z42", "Z43", "Z44"};
  return codes;
}

bool aperak_code_needs_location(std::string_view code) {
  static constexpr std::string_view kAhb[] = {"Z21", "Z29", "Z35", "Z38", "Z39", "Z40", "Z41"};
  return std::find(std::begin(kAhb), std::end(kAhb), code) != std::end(kAhb);
}

std::string aperak_free_text(std::string_view input) {
  // Characters UNOC cannot carry become '?': a refusal's text (e.g. a workflow's error) must
  // not make the APERAK unwritable.
  std::string text;
  text.reserve(input.size());
  for (std::size_t i = 0; i < input.size();) {
    const std::size_t n = std::max<std::size_t>(1, utf8_sequence_length(input, i));
    const std::string_view ch = input.substr(i, n);
    if (encode_utf8(Charset::UNOC, ch)) text.append(ch);
    else text.push_back('?');
    i += n;
  }
  constexpr std::size_t kMax = 512;
  std::size_t chars = 0, cut = 0;  // cut: byte offset after the 509th character
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
    if (chars == kMax - 3) cut = i;
    ++chars;
  }
  if (chars <= kMax) return text;
  text.resize(cut);
  text += "...";
  return text;
}

namespace {

bool is_supported_release(std::string_view release) {
  for (const auto& r : supported_releases("APERAK"))
    if (r == release) return true;
  return false;
}

// The text of an FTX: its C108 components joined (4440 may be split over up to five).
template <class Seg>
std::string ftx_text(const Seg& s) {
  std::string out;
  for (std::size_t c = 0; c < s.component_count(3); ++c) out += s.value(3, c);
  return out;
}

template <class Msg>
AperakMessage read_aperak_of(const Msg& m) {
  using Seg = detail::SegmentOf<Msg>;
  detail::require_type(m, "APERAK");
  if (!is_supported_release(m.association))
    detail::fail_message(m, "APERAK release 2.1i or 2.2 (UNH S009 0057)", quoted(m.association));
  AperakMessage a;
  a.reference = m.reference;
  a.association = m.association;
  const auto& segs = m.segments;
  if (segs.empty() || !detail::tag_is(segs[0], "BGM"))
    detail::fail_message(m, "BGM as first segment after UNH",
                         segs.empty() ? "empty message" : "segment " + std::string(segs[0].tag));
  const Seg& bgm = segs[0];
  if (bgm.value(0) == kAperakPositive) a.positive = true;
  else if (bgm.value(0) == kAperakError) a.positive = false;
  else fail(bgm, "BGM+312 (positive) or BGM+313 (error)", "BGM+" + std::string(bgm.value(0)));
  a.document_number = bgm.value(1);

  bool have_date = false, have_ace = false, have_171 = false, have_ms = false, have_mr = false;
  const Seg* first_erc = nullptr;
  for (std::size_t i = 1; i < segs.size(); ++i) {
    const Seg& s = segs[i];
    if (detail::tag_is(s, "ERC")) {
      if (s.value(0).empty()) fail(s, "an error code in ERC", "nothing");
      if (!first_erc) first_erc = &s;
      a.errors.push_back(AperakError{std::string(s.value(0)), std::nullopt, std::nullopt, std::nullopt});
    } else if (detail::tag_is(s, "FTX") && !a.errors.empty()) {
      auto& e = a.errors.back();
      std::optional<std::string>* slot = s.value(0) == "ABO"   ? &e.faulty_value
                                         : s.value(0) == "AAO" ? &e.text
                                         : s.value(0) == "Z02" ? &e.location
                                                               : nullptr;
      if (slot && !*slot) *slot = ftx_text(s);  // 2.1i may repeat AAO/Z02 per SG5: the first counts
    } else if (s.is("DTM", "137") && !have_date) {
      a.message_date = detail::read_dtm(s);
      have_date = true;
    } else if (s.is("DTM", "171") && !have_171) {
      a.referenced_date = detail::read_dtm(s);
      have_171 = true;
    } else if (s.is("RFF", "ACE")) {
      a.referenced_document = s.value(0, 1);
      have_ace = !a.referenced_document.empty();
    } else if (s.is("RFF", "ACW")) {
      if (!a.referenced_message) a.referenced_message = s.value(0, 1);
    } else if (s.is("RFF", "TN")) {
      if (!a.transaction_ref) a.transaction_ref = s.value(0, 1);
    } else if (s.is("NAD", "MS")) {
      a.sender = detail::nad_of(s);
      have_ms = true;
    } else if (s.is("NAD", "MR")) {
      a.receiver = detail::nad_of(s);
      have_mr = true;
    }
    // RFF+AGO repeats the document number of RFF+ACE; CTA/COM (2.1i) and RFF+Z08 carry
    // nothing this view keeps.
  }
  if (!have_date) detail::fail_message(m, "DTM+137 message date", "none");
  if (!have_ace) detail::fail_message(m, "RFF+ACE with the referenced document number", "none");
  if (!have_171) detail::fail_message(m, "DTM+171 date of the referenced message (after RFF+ACE)", "none");
  if (!have_ms || !have_mr) detail::fail_message(m, "NAD+MS and NAD+MR", "missing");
  if (a.positive && first_erc)
    fail(*first_erc, "no ERC in a positive APERAK (BGM+312)", "ERC+" + std::string(first_erc->value(0)));
  if (!a.positive && a.errors.empty()) fail(bgm, "at least one ERC in an error APERAK (BGM+313)", "none");
  return a;
}

Segment rff(std::string_view qualifier, const std::string& value) {
  return Segment("RFF", {Element{std::string(qualifier), value}});
}

Segment ftx(std::string_view qualifier, const std::string& text) {
  return Segment("FTX", {Element{std::string(qualifier)}, Element{""}, Element{""}, Element{aperak_free_text(text)}});
}

void check(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument("APERAK: " + what);
}

}  // namespace

AperakMessage read_aperak(const Message& m) { return read_aperak_of(m); }
AperakMessage read_aperak(const MessageView& m) { return read_aperak_of(m); }

Message build_aperak(const AperakMessage& a) {
  const std::string release = a.association.empty() ? require_release("APERAK", a.message_date) : a.association;
  check(is_supported_release(release), "release " + quoted(release) + " is not supported (2.1i, 2.2)");
  check(!a.referenced_document.empty(), "the referenced document number (RFF+ACE) is empty");
  check(a.positive == a.errors.empty(), a.positive ? "a positive APERAK (BGM+312) carries no errors"
                                                   : "an error APERAK (BGM+313) needs at least one error");
  for (const auto& e : a.errors) {
    const auto& codes = aperak_error_codes();
    check(std::find(codes.begin(), codes.end(), e.code) != codes.end(),
          "error code " + quoted(e.code) + " is not in the APERAK AHB's ERC list");
  }
  const bool v22 = release == "2.2";
  const bool has_tn = a.transaction_ref && !a.transaction_ref->empty();

  Message m;
  m.reference = a.reference;
  m.type = "APERAK";
  m.version = "D";
  m.release = "07B";
  m.agency = "UN";
  m.association = release;
  auto& s = m.segments;
  s.emplace_back(
      "BGM", std::vector<Element>{Element{a.positive ? kAperakPositive : kAperakError}, Element{a.document_number}});
  s.push_back(detail::make_dtm_303("137", a.message_date));
  s.push_back(rff("ACE", a.referenced_document));
  s.push_back(detail::make_dtm_303("171", a.referenced_date));
  if (a.positive || v22) {
    s.push_back(rff("AGO", a.referenced_document));
    if (has_tn) s.push_back(rff("TN", *a.transaction_ref));
  }
  s.push_back(make_nad("MS", a.sender));
  s.push_back(make_nad("MR", a.receiver));
  for (const auto& e : a.errors) {
    s.emplace_back("ERC", std::vector<Element>{Element{e.code}});
    if (e.faulty_value && !e.faulty_value->empty()) s.push_back(ftx("ABO", *e.faulty_value));
    // The SG5 that carries the description and the location: TN when the Vorgang is named,
    // else AGO; 2.1i always has ACW and AGO first.
    auto details = [&] {
      if (e.text && !e.text->empty()) s.push_back(ftx("AAO", *e.text));
      if (aperak_code_needs_location(e.code))
        s.push_back(ftx("Z02", e.location && !e.location->empty() ? *e.location : std::string("Nachricht")));
    };
    if (!v22) {
      s.push_back(rff("ACW", a.referenced_message.value_or(a.referenced_document)));
      s.push_back(rff("AGO", a.referenced_document));
      if (!has_tn) details();
    } else if (!has_tn) {
      s.push_back(rff("AGO", a.referenced_document));
      details();
    }
    if (has_tn) {
      s.push_back(rff("TN", *a.transaction_ref));
      details();
    }
  }
  return m;
}

std::string write_aperak_interchange(const AperakMessage& a, std::string_view interchange_reference,
                                     std::chrono::sys_seconds prepared_at) {
  const Message m = build_aperak(a);
  detail::InterchangeText text(512);
  SegmentWriter& w = text.w;
  detail::write_unb(w, a.sender, a.receiver, interchange_reference, prepared_at);
  detail::write_unh(w, m.reference, m.type, m.version, m.release, m.agency, m.association);
  for (const auto& seg : m.segments) w.segment(seg);
  detail::write_trailer(w, m.segments.size(), m.reference, interchange_reference);
  return std::move(text.out);
}

}  // namespace mako::edifact
