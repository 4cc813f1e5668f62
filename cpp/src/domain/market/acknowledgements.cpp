#include "mako/domain/market/acknowledgements.hpp"

#include <vector>

#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/envelope.hpp"
#include "mako/domain/edifact/message_release.hpp"
#include "mako/domain/edifact/parser.hpp"

namespace mako::market {
namespace {

edifact::MarketPartner partner_of(const edifact::Party& party) {
  auto code_list = edifact::code_list_for_unb_qualifier(party.qualifier);
  return edifact::MarketPartner{party.id, code_list.empty() ? "293" : std::string(code_list)};
}

// One message moved into the interchange's list: `{std::move(m)}` would copy it (an
// initializer_list's elements are const).
std::vector<edifact::Message> one_message(edifact::Message m) {
  std::vector<edifact::Message> messages;
  messages.push_back(std::move(m));
  return messages;
}

edifact::MarketPartner partner_of_id(const std::string& mp_id) {
  // 99 BDEW, 98 DVGW, else a GS1 GLN (docs/mako-domain.md, "Identifiers").
  if (mp_id.rfind("99", 0) == 0) return {mp_id, "293"};
  if (mp_id.rfind("98", 0) == 0) return {mp_id, "332"};
  return {mp_id, "9"};
}

}  // namespace

std::optional<InterchangeHeader> read_interchange_header(const std::string& bytes) {
  try {
    edifact::ParseOptions options;
    options.reject_utf8_in_unoc = false;
    const auto stream = edifact::parse_segments(bytes, options);
    for (const auto& s : stream.segments)
      if (s.tag == "UNB" && s.has(1) && s.has(2) && s.has(4))
        return InterchangeHeader{{s.value(1, 0), s.value(1, 1), ""}, {s.value(2, 0), s.value(2, 1), ""}, s.value(4)};
  } catch (const std::exception&) {
    // Not even the segments read: the caller falls back to what the transport knows.
  }
  return std::nullopt;
}

namespace {

edifact::ContrlMessage contrl_for(const InterchangeHeader& acknowledged,
                                  const std::optional<edifact::SyntaxFault>& fault, calendar::Instant now) {
  edifact::ContrlMessage c;
  c.reference = "1";
  c.association = edifact::require_release("CONTRL", now);
  c.interchange_reference = acknowledged.reference;
  c.interchange_sender = acknowledged.sender;
  c.interchange_receiver = acknowledged.receiver;
  c.action = edifact::kContrlAccepted;
  if (fault) edifact::add_syntax_fault(c, *fault);
  return c;
}

edifact::AperakMessage aperak_for(const std::string& own, const std::string& partner, const AperakSubject& subject,
                                  calendar::Instant now, const std::string& reference) {
  auto given = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
  edifact::AperakMessage a;
  a.reference = "1";
  a.association = edifact::require_release("APERAK", now);
  a.positive = subject.error_code.empty();
  a.document_number = reference;
  a.message_date = now;
  a.referenced_document = subject.document_number;
  a.referenced_date = subject.document_date;
  a.referenced_message = given(subject.message_reference);
  a.transaction_ref = given(subject.transaction);
  a.sender = partner_of_id(own);
  a.receiver = partner_of_id(partner);
  if (!a.positive)
    a.errors.push_back(edifact::AperakError{subject.error_code, given(subject.faulty_value), given(subject.text),
                                            given(subject.location)});
  return a;
}

}  // namespace

edifact::Interchange make_contrl(const InterchangeHeader& acknowledged,
                                 const std::optional<edifact::SyntaxFault>& fault, calendar::Instant now,
                                 const std::string& reference) {
  return edifact::make_interchange(partner_of(acknowledged.receiver), partner_of(acknowledged.sender), reference, now,
                                   one_message(edifact::build_contrl(contrl_for(acknowledged, fault, now))));
}

std::string render_contrl(const InterchangeHeader& acknowledged, const std::optional<edifact::SyntaxFault>& fault,
                          calendar::Instant now, const std::string& reference) {
  return edifact::write_contrl_interchange(contrl_for(acknowledged, fault, now), partner_of(acknowledged.receiver),
                                           partner_of(acknowledged.sender), reference, now);
}

edifact::Interchange make_aperak(const std::string& own, const std::string& partner, const AperakSubject& subject,
                                 calendar::Instant now, const std::string& reference) {
  const edifact::AperakMessage a = aperak_for(own, partner, subject, now, reference);
  return edifact::make_interchange(a.sender, a.receiver, reference, now, one_message(edifact::build_aperak(a)));
}

std::string render_aperak(const std::string& own, const std::string& partner, const AperakSubject& subject,
                          calendar::Instant now, const std::string& reference) {
  return edifact::write_aperak_interchange(aperak_for(own, partner, subject, now, reference), reference, now);
}

std::string interchange_reference_for(const std::string& key) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a 64
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  // The first 14 of the 16 upper-case hex digits of h ("%016llX"), without snprintf.
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(14, '0');
  for (std::size_t i = 0; i < 14; ++i) out[i] = kHex[(h >> (60 - 4 * i)) & 0xF];
  return out;
}

}  // namespace mako::market
