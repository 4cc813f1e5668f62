#include "mako/domain/edifact/aperak.hpp"

#include "envelope_writer.hpp"
#include "view_support.hpp"

namespace mako::edifact {

using detail::fail;
using detail::quoted;

namespace {

template <class Msg>
AperakMessage read_aperak_of(const Msg& m) {
    using Seg = detail::SegmentOf<Msg>;
    detail::require_type(m, "APERAK");
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

    bool have_date = false, have_ace = false, have_ms = false, have_mr = false;
    const Seg* first_erc = nullptr;
    for (std::size_t i = 1; i < segs.size(); ++i) {
        const Seg& s = segs[i];
        if (detail::tag_is(s, "ERC")) {
            if (s.value(0).empty()) fail(s, "an error code in ERC", "nothing");
            if (!first_erc) first_erc = &s;
            a.errors.push_back(AperakError{std::string(s.value(0)), std::nullopt, std::nullopt});
        } else if (detail::tag_is(s, "FTX") && !a.errors.empty()) {
            a.errors.back().text = s.value(3);
        } else if (s.is("RFF", "TN") && !a.errors.empty()) {
            a.errors.back().transaction_ref = s.value(0, 1);
        } else if (s.is("DTM", "137")) {
            a.message_date = detail::read_dtm(s);
            have_date = true;
        } else if (s.is("RFF", "ACE")) {
            a.referenced_document = s.value(0, 1);
            have_ace = !a.referenced_document.empty();
        } else if (s.is("RFF", "ACW")) {
            a.referenced_message = s.value(0, 1);
        } else if (s.is("NAD", "MS")) {
            a.sender = detail::nad_of(s);
            have_ms = true;
        } else if (s.is("NAD", "MR")) {
            a.receiver = detail::nad_of(s);
            have_mr = true;
        }
    }
    if (!have_date) detail::fail_message(m, "DTM+137 message date", "none");
    if (!have_ace) detail::fail_message(m, "RFF+ACE with the referenced document number", "none");
    if (!have_ms || !have_mr) detail::fail_message(m, "NAD+MS and NAD+MR", "missing");
    if (a.positive && first_erc) fail(*first_erc, "no ERC in a positive APERAK (BGM+312)", "ERC+" + std::string(first_erc->value(0)));
    if (!a.positive && a.errors.empty()) fail(bgm, "at least one ERC in an error APERAK (BGM+313)", "none");
    return a;
}

}  // namespace

AperakMessage read_aperak(const Message& m) { return read_aperak_of(m); }
AperakMessage read_aperak(const MessageView& m) { return read_aperak_of(m); }

Message build_aperak(const AperakMessage& a) {
    Message m;
    m.reference = a.reference;
    m.type = "APERAK";
    m.version = "D";
    m.release = "07B";
    m.agency = "UN";
    m.association = a.association;
    auto& s = m.segments;
    s.emplace_back("BGM", std::vector<Element>{Element{a.positive ? kAperakPositive : kAperakError},
                                               Element{a.document_number}});
    s.push_back(detail::make_dtm_303("137", a.message_date));
    s.emplace_back("RFF", std::vector<Element>{Element{"ACE", a.referenced_document}});
    if (a.referenced_message) s.emplace_back("RFF", std::vector<Element>{Element{"ACW", *a.referenced_message}});
    s.push_back(make_nad("MS", a.sender));
    s.push_back(make_nad("MR", a.receiver));
    for (const auto& e : a.errors) {
        s.emplace_back("ERC", std::vector<Element>{Element{e.code}});
        if (e.text) s.emplace_back("FTX", std::vector<Element>{Element{"AAO"}, Element{""}, Element{""}, Element{*e.text}});
        if (e.transaction_ref) s.emplace_back("RFF", std::vector<Element>{Element{"TN", *e.transaction_ref}});
    }
    return m;
}

// Mirrors build_aperak segment by segment; keep them in step.
std::string write_aperak_interchange(const AperakMessage& a, std::string_view interchange_reference,
                                     std::chrono::sys_seconds prepared_at) {
    detail::InterchangeText text(384);
    SegmentWriter& w = text.w;
    detail::write_unb(w, a.sender, a.receiver, interchange_reference, prepared_at);
    detail::write_unh(w, a.reference, "APERAK", "D", "07B", "UN", a.association);
    std::size_t body = 0;
    auto nad = [&](std::string_view qualifier, const MarketPartner& p) {
        w.begin("NAD").element(qualifier).element(p.id).component("").component(p.code_list).end();
        ++body;
    };
    w.begin("BGM").element(a.positive ? kAperakPositive : kAperakError).element(a.document_number).end();
    w.begin("DTM").element("137").component(format_dtm_303(a.message_date)).component(kDtmFormat303).end();
    w.begin("RFF").element("ACE").component(a.referenced_document).end();
    body += 3;
    if (a.referenced_message) {
        w.begin("RFF").element("ACW").component(*a.referenced_message).end();
        ++body;
    }
    nad("MS", a.sender);
    nad("MR", a.receiver);
    for (const auto& e : a.errors) {
        w.begin("ERC").element(e.code).end();
        ++body;
        if (e.text) {
            w.begin("FTX").element("AAO").element("").element("").element(*e.text).end();
            ++body;
        }
        if (e.transaction_ref) {
            w.begin("RFF").element("TN").component(*e.transaction_ref).end();
            ++body;
        }
    }
    detail::write_trailer(w, body, a.reference, interchange_reference);
    return std::move(text.out);
}

}  // namespace mako::edifact
