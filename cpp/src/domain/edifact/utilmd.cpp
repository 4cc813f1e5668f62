#include "mako/domain/edifact/utilmd.hpp"

#include "mako/domain/edifact/datetime.hpp"
#include "mako/domain/edifact/pid.hpp"
#include "mako/domain/edifact/writer.hpp"
#include "envelope_writer.hpp"
#include "view_support.hpp"

namespace mako::edifact {
namespace {

using detail::fail;
using detail::quoted;

// A PID-shaped value of a UTILMD family (55 Strom / 44 Gas) in BGM means the sender put the
// PID into the wrong segment (it belongs in RFF+Z13 of each transaction).
bool is_utilmd_pid(std::string_view v) {
    if (!looks_like_pid(v)) return false;
    const auto* f = format_of_pid(v);
    return f && f->format == "UTILMD";
}

template <class Seg>
void check_pid(const Seg& rff) {
    const std::string_view pid = rff.value(0, 1);
    if (find_utilmd_strom_pid(pid)) return;
    std::string found = "PID " + quoted(pid);
    if (const auto* f = format_of_pid(pid)) found += " (a " + f->format + (f->note.empty() ? "" : " " + f->note) + " PID)";
    else if (!looks_like_pid(pid)) found += " (not a 5-digit PID)";
    fail(rff, "a known UTILMD Strom PID (55xxx of the GPKE tables) in RFF+Z13", found);
}

template <class Msg>
UtilmdMessage read_utilmd_of(const Msg& m) {
    using Seg = detail::SegmentOf<Msg>;
    detail::require_type(m, "UTILMD");
    UtilmdMessage u;
    u.reference = m.reference;
    u.association = m.association;
    const auto& segs = m.segments;
    if (segs.empty() || !detail::tag_is(segs[0], "BGM"))
        detail::fail_message(m, "BGM as first segment after UNH",
                             segs.empty() ? "empty message" : "segment " + std::string(segs[0].tag));
    const Seg& bgm = segs[0];
    for (std::size_t e = 0; e < bgm.element_count(); ++e)
        for (std::size_t k = 0; k < bgm.component_count(e); ++k) {
            const std::string_view c = bgm.value(e, k);
            if (is_utilmd_pid(c))
                fail(bgm, "no PID in BGM (the PID belongs in RFF+Z13 of each transaction)",
                     "PID " + quoted(c) + " in BGM element " + std::to_string(e + 1));
        }
    u.document_code = bgm.value(0);
    u.document_number = bgm.value(1);

    bool have_date = false, have_ms = false, have_mr = false;
    UtilmdTransaction* tx = nullptr;
    bool tx_has_pid = false;
    const Seg* tx_ide = nullptr;
    auto close_tx = [&] {
        if (tx && !tx_has_pid)
            fail(*tx_ide, "RFF+Z13 with the PID in transaction " + quoted(tx->reference), "no RFF+Z13");
    };
    for (std::size_t i = 1; i < segs.size(); ++i) {
        const Seg& s = segs[i];
        if (detail::tag_is(s, "IDE")) {
            if (!have_date) detail::fail_message(m, "DTM+137 message date before the first IDE", "none");
            if (!have_ms || !have_mr) detail::fail_message(m, "NAD+MS and NAD+MR before the first IDE", "missing");
            if (s.value(0) != "24") fail(s, "IDE+24 (transaction)", "IDE+" + std::string(s.value(0)));
            if (s.value(1).empty()) fail(s, "Vorgangsnummer in IDE+24", "nothing");
            close_tx();
            tx = &u.transactions.emplace_back();
            tx->reference = s.value(1);
            tx_has_pid = false;
            tx_ide = &s;
            continue;
        }
        if (!tx) {  // message level
            if (s.is("DTM", "137")) {
                u.message_date = detail::read_dtm(s);
                have_date = true;
            } else if (s.is("NAD", "MS")) {
                u.sender = detail::nad_of(s);
                have_ms = true;
            } else if (s.is("NAD", "MR")) {
                u.receiver = detail::nad_of(s);
                have_mr = true;
            } else if (s.is("RFF", "Z13")) {
                fail(s, "the PID (RFF+Z13) inside a transaction, after IDE+24", "RFF+Z13 at message level");
            }
            continue;
        }
        if (s.is("DTM", "92")) {
            tx->start = detail::read_dtm(s);
        } else if (s.is("STS", "7")) {
            tx->reason = s.value(2);
        } else if (s.is("STS", "E01")) {
            tx->answer_code = s.value(2);
        } else if (s.is("LOC", "Z16")) {
            tx->malo_id = s.value(1);
        } else if (s.is("RFF", "Z13")) {
            if (tx_has_pid) fail(s, "one RFF+Z13 per transaction", "a second PID " + quoted(s.value(0, 1)));
            check_pid(s);
            tx->pid = s.value(0, 1);
            tx_has_pid = true;
        } else if (s.is("RFF", "TN")) {
            tx->referenced_transaction = s.value(0, 1);
        } else if (detail::tag_is(s, "BGM")) {
            fail(s, "one BGM at the start of the message", "another BGM");
        }
    }
    if (!have_date) detail::fail_message(m, "DTM+137 message date", "none");
    if (!have_ms || !have_mr) detail::fail_message(m, "NAD+MS and NAD+MR", "missing");
    if (!tx) detail::fail_message(m, "at least one transaction (IDE+24)", "none");
    close_tx();
    return u;
}

}  // namespace

UtilmdMessage read_utilmd(const Message& m) { return read_utilmd_of(m); }
UtilmdMessage read_utilmd(const MessageView& m) { return read_utilmd_of(m); }

Message build_utilmd(const UtilmdMessage& u) {
    Message m;
    m.reference = u.reference;
    m.type = "UTILMD";
    m.version = "D";
    m.release = "11A";
    m.agency = "UN";
    m.association = u.association;
    auto& s = m.segments;
    s.reserve(4 + u.transactions.size() * 7);
    s.emplace_back("BGM", std::vector<Element>{Element{u.document_code}, Element{u.document_number}});
    s.push_back(detail::make_dtm_303("137", u.message_date));
    s.push_back(make_nad("MS", u.sender));
    s.push_back(make_nad("MR", u.receiver));
    for (const auto& t : u.transactions) {
        s.emplace_back("IDE", std::vector<Element>{Element{"24"}, Element{t.reference}});
        if (t.start) s.push_back(detail::make_dtm_303("92", *t.start));
        if (!t.reason.empty()) s.emplace_back("STS", std::vector<Element>{Element{"7"}, Element{""}, Element{t.reason}});
        if (t.answer_code)
            s.emplace_back("STS", std::vector<Element>{Element{"E01"}, Element{""}, Element{*t.answer_code}});
        if (!t.malo_id.empty()) s.emplace_back("LOC", std::vector<Element>{Element{"Z16"}, Element{t.malo_id}});
        s.emplace_back("RFF", std::vector<Element>{Element{"Z13", t.pid}});
        if (t.referenced_transaction)
            s.emplace_back("RFF", std::vector<Element>{Element{"TN", *t.referenced_transaction}});
    }
    return m;
}

// Mirrors make_interchange + build_utilmd + write() segment by segment; keep them in step.
std::string write_utilmd_interchange(const UtilmdMessage& u, std::string_view interchange_reference,
                                     std::chrono::sys_seconds prepared_at) {
    detail::InterchangeText text(384);
    SegmentWriter& w = text.w;
    detail::write_unb(w, u.sender, u.receiver, interchange_reference, prepared_at);
    detail::write_unh(w, u.reference, "UTILMD", "D", "11A", "UN", u.association);
    std::size_t body = 0;
    auto dtm_303 = [&](std::string_view qualifier, std::chrono::sys_seconds instant) {
        w.begin("DTM").element(qualifier).component(format_dtm_303(instant)).component(kDtmFormat303).end();
        ++body;
    };
    auto nad = [&](std::string_view qualifier, const MarketPartner& p) {
        w.begin("NAD").element(qualifier).element(p.id).component("").component(p.code_list).end();
        ++body;
    };
    w.begin("BGM").element(u.document_code).element(u.document_number).end();
    ++body;
    dtm_303("137", u.message_date);
    nad("MS", u.sender);
    nad("MR", u.receiver);
    for (const auto& t : u.transactions) {
        w.begin("IDE").element("24").element(t.reference).end();
        ++body;
        if (t.start) dtm_303("92", *t.start);
        if (!t.reason.empty()) {
            w.begin("STS").element("7").element("").element(t.reason).end();
            ++body;
        }
        if (t.answer_code) {
            w.begin("STS").element("E01").element("").element(*t.answer_code).end();
            ++body;
        }
        if (!t.malo_id.empty()) {
            w.begin("LOC").element("Z16").element(t.malo_id).end();
            ++body;
        }
        w.begin("RFF").element("Z13").component(t.pid).end();
        ++body;
        if (t.referenced_transaction) {
            w.begin("RFF").element("TN").component(*t.referenced_transaction).end();
            ++body;
        }
    }
    detail::write_trailer(w, body, u.reference, interchange_reference);
    return std::move(text.out);
}

}  // namespace mako::edifact
