#include "mako/domain/edifact/parser.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <type_traits>
#include <utility>

#include "mako/domain/edifact/parsed_view.hpp"
#include "mako/domain/edifact/validation.hpp"
#include "view_support.hpp"

namespace mako::edifact {

// Fills a ParsedInterchange's private lists (a friend of it and of SegmentView).
struct ViewBuilder {
    static std::string& decoded(ParsedInterchange& out) { return out.decoded_; }
    static std::vector<detail::ValueSpan>& values(ParsedInterchange& out) { return out.values_; }
    static std::vector<detail::ElementSpan>& elements(ParsedInterchange& out) { return out.elements_; }
    static void begin(ParsedInterchange& out, std::string_view bytes, std::size_t segments);
    static void finish(ParsedInterchange& out);
    static const SegmentView& last(const ParsedInterchange& out) { return out.segments_.back(); }

    static void add_segment(ParsedInterchange& out, std::string_view tag, std::size_t number, std::size_t offset,
                            std::size_t first_element) {
        SegmentView& v = out.segments_.emplace_back();
        v.owner_ = &out;
        v.tag = tag;
        v.number = number;
        v.offset = offset;
        v.first_element_ = first_element;
        v.element_count_ = out.elements_.size() - first_element;
    }
};

namespace {

// Byte classes for the single-pass lexer: one table lookup per input byte.
enum ByteClass : std::uint8_t { kData, kComponent, kElement, kTerminator, kRelease, kHigh, kBad };
using ClassTable = std::array<std::uint8_t, 256>;

// The repertoire's classes, computed once per charset: a parse of a small file (one GPKE message)
// used to spend more on building this table than on lexing.
const ClassTable& charset_table(Charset charset) {
    static const auto make = [](Charset cs) {
        ClassTable t{};
        for (unsigned b = 0; b < 256; ++b) {
            const auto c = static_cast<unsigned char>(b);
            t[b] = is_allowed_byte(cs, c) ? (c >= 0x80 ? kHigh : kData) : kBad;
        }
        return t;
    };
    static const ClassTable unoa = make(Charset::UNOA), unob = make(Charset::UNOB), unoc = make(Charset::UNOC);
    return charset == Charset::UNOA ? unoa : charset == Charset::UNOB ? unob : unoc;
}

ClassTable make_table(const Separators& s, Charset charset) {
    ClassTable t = charset_table(charset);
    // Separators are structure, whatever the repertoire says about them.
    t[static_cast<unsigned char>(s.component)] = kComponent;
    t[static_cast<unsigned char>(s.element)] = kElement;
    t[static_cast<unsigned char>(s.segment)] = kTerminator;
    t[static_cast<unsigned char>(s.release)] = kRelease;
    return t;
}

// Upper-case letters and digits: the bytes a segment tag may have (a table: one load per byte).
constexpr std::array<bool, 256> kTagByte = [] {
    std::array<bool, 256> t{};
    for (unsigned c = 'A'; c <= 'Z'; ++c) t[c] = true;
    for (unsigned c = '0'; c <= '9'; ++c) t[c] = true;
    return t;
}();

std::string describe_byte(unsigned char c) {
    char buf[48];
    if (c >= 0x20 && c < 0x7F)
        std::snprintf(buf, sizeof buf, "'%c' (0x%02X)", c, c);
    else
        std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
    return buf;
}

std::string hex_bytes(std::string_view bytes) {
    std::string s;
    char buf[4];
    for (char ch : bytes) {
        if (!s.empty()) s.push_back(' ');
        std::snprintf(buf, sizeof buf, "%02X", static_cast<unsigned char>(ch));
        s += buf;
    }
    return s;
}

bool is_layout(unsigned char c, const ClassTable& t) {
    // CR/LF between segments is layout unless the UNA made it a separator.
    return (c == '\r' || c == '\n') && t[c] != kComponent && t[c] != kElement && t[c] != kTerminator &&
           t[c] != kRelease;
}

class Lexer {
public:
    Lexer(std::string_view in, const ParseOptions& options) : in_(in), options_(options) {
        // Scratch for one segment at a time: sized once for the largest usual segment.
        own_values_.reserve(16);
        own_elements_.reserve(8);
    }

    /// Lexes straight into `out`'s lists (for next_view), which are kept whole.
    Lexer(std::string_view in, const ParseOptions& options, ParsedInterchange& out)
        : in_(in), options_(options), values_(&ViewBuilder::values(out)), elements_(&ViewBuilder::elements(out)),
          decoded_(&ViewBuilder::decoded(out)) {}

    /// Reads the UNA (if any); UNB is then read with the 7-bit repertoire and its S001
    /// selects the real one for the rest of the input.
    void begin() {
        seps_ = read_separators(in_, &has_una_);
        pos_ = has_una_ ? kUnaLength : 0;
        table_ = make_table(seps_, Charset::UNOB);
        if (has_una_) capture_line_break();
    }

    /// Reads the next segment into `seg`; false at end of input.
    bool next(Segment& seg) {
        if (!lex_next()) return false;
        seg.number = number_;
        seg.offset = offset_;
        seg.tag.assign(tag_);
        // Build the elements in place: each Element gets its exact size at once, and a segment
        // the assembler did not move away (UNB, UNH, UNT, UNZ) is overwritten without new
        // allocations.
        const std::size_t count = elements_->size() - first_element_;
        seg.elements.resize(count);
        for (std::size_t e = 0; e < count; ++e) {
            const detail::ElementSpan& span = (*elements_)[first_element_ + e];
            Element& element = seg.elements[e];
            element.resize(span.count);
            for (std::size_t c = 0; c < span.count; ++c) element[c].assign(view_of((*values_)[span.first + c]));
        }
        // The scratch is the Lexer's own here: reused for the next segment.
        values_->clear();
        elements_->clear();
        decoded_->clear();
        return true;
    }

    /// Reads the next segment as views appended to `out`; false at end of input.
    /// The decoded values stay in `out`'s buffer (the Lexer was built on it).
    bool next_view(ParsedInterchange& out) {
        if (!lex_next()) return false;
        ViewBuilder::add_segment(out, tag_, number_, offset_, first_element_);
        return true;
    }

    [[nodiscard]] const Separators& separators() const noexcept { return seps_; }
    [[nodiscard]] bool has_una() const noexcept { return has_una_; }
    [[nodiscard]] const std::string& line_break() const noexcept { return line_break_; }
    [[nodiscard]] Charset charset() const noexcept { return charset_; }
    [[nodiscard]] std::size_t count() const noexcept { return count_; }

private:
    std::string_view view_of(const detail::ValueSpan& span) const {
        return {(span.decoded ? decoded_->data() : in_.data()) + span.begin, span.length};
    }

    // Lexes the next segment (tag_, and its elements and values appended to *elements_ /
    // *values_ from first_element_ on) and checks the UNB charset.
    bool lex_next() {
        skip_layout();
        if (pos_ >= in_.size()) return false;
        read_segment(++count_);
        if (count_ == 1) {
            if (tag_ == "UNB") {
                const std::string_view syntax_id = elements_->size() == first_element_
                                                       ? std::string_view{}
                                                       : view_of((*values_)[(*elements_)[first_element_].first]);
                const auto cs = charset_from_syntax_id(syntax_id);
                if (!cs)
                    throw ParseError(number_, offset_, std::string(tag_),
                                     "syntax identifier UNOA, UNOB or UNOC in UNB S001",
                                     "'" + std::string(syntax_id) + "'");
                charset_ = *cs;
                table_ = make_table(seps_, charset_);
                // UNB itself was read with the 7-bit repertoire (UNOB); it must keep to the one it
                // declares too (UNOA has no lower case), or write() could not write it back.
                for (std::size_t at = offset_; at < pos_; ++at)
                    if (table_[static_cast<unsigned char>(in_[at])] == kBad) fail_byte(at);
            } else {
                charset_ = Charset::UNOC;
                table_ = make_table(seps_, charset_);
            }
        }
        capture_line_break();
        return true;
    }

    // The end of the run of plain data bytes from `from` (the hot loop: kept in registers).
    std::size_t scan_data(std::size_t from) const {
        const auto* const begin = reinterpret_cast<const unsigned char*>(in_.data());
        const auto* p = begin + from;
        const auto* const end = begin + in_.size();
        while (p < end && table_[*p] == kData) ++p;
        return static_cast<std::size_t>(p - begin);
    }

    void skip_layout() {
        while (pos_ < in_.size() && is_layout(static_cast<unsigned char>(in_[pos_]), table_)) ++pos_;
    }

    // The CR/LF run after the first segment (UNA counts) defines the interchange's line style.
    void capture_line_break() {
        if (line_break_captured_) return;
        line_break_captured_ = true;
        std::size_t end = pos_;
        while (end < in_.size() && is_layout(static_cast<unsigned char>(in_[end]), table_)) ++end;
        line_break_.assign(in_.substr(pos_, end - pos_));
    }

    [[noreturn]] void fail(std::size_t offset, std::string expected, std::string found) const {
        throw ParseError(number_, offset, std::string(tag_), std::move(expected), std::move(found));
    }

    [[noreturn]] void fail_end() const {
        fail(in_.size(), "segment terminator '" + std::string(1, seps_.segment) + "'",
             "end of data (truncated interchange)");
    }

    [[noreturn]] void fail_byte(std::size_t at) const {
        const auto c = static_cast<unsigned char>(in_[at]);
        const std::size_t u8 = utf8_sequence_length(in_, at);
        std::string found = describe_byte(c);
        if (u8 >= 2)
            found = "UTF-8 multi-byte sequence " + hex_bytes(in_.substr(at, u8));
        else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
            found = "control character " + describe_byte(c);
        fail(at, "a character of the declared repertoire " + std::string(to_string(charset_)), found);
    }

    void read_segment(std::size_t number) {
        const std::size_t n = in_.size();
        number_ = number;
        offset_ = pos_;
        const std::size_t tag_start = pos_;
        pos_ = scan_data(tag_start);
        tag_ = in_.substr(tag_start, pos_ - tag_start);
        bool tag_ok = !tag_.empty() && tag_.size() <= 3;
        for (char c : tag_) tag_ok &= kTagByte[static_cast<unsigned char>(c)];
        if (!tag_ok)
            fail(tag_start, "segment tag (up to 3 upper-case letters/digits)",
                 tag_.empty() ? (pos_ < n ? describe_byte(static_cast<unsigned char>(in_[pos_]))
                                          : std::string{"end of data"})
                              : "'" + std::string(tag_) + "'");
        if (pos_ >= n) fail_end();
        std::uint8_t cls = table_[static_cast<unsigned char>(in_[pos_])];
        if (cls != kElement && cls != kTerminator) {
            if (cls == kBad) fail_byte(pos_);
            fail(pos_, "data element separator or segment terminator after tag",
                 describe_byte(static_cast<unsigned char>(in_[pos_])));
        }
        // The whole segment is lexed into spans first; the caller builds from them.
        first_element_ = elements_->size();
        while (cls == kElement) {
            ++pos_;
            const std::size_t first = values_->size();
            while (true) {
                cls = read_component();
                if (cls != kComponent) break;
                ++pos_;
            }
            elements_->push_back({first, values_->size() - first});
        }
        // cls == kTerminator here
        ++pos_;
    }

    // Reads one component value starting at pos_; stops on (without consuming) the next
    // component/element separator or segment terminator and returns its class.
    // The value is recorded in *values_: a slice of the input, or of decoded_ when it had escapes
    // or Latin-1 bytes.
    std::uint8_t read_component() {
        const std::size_t n = in_.size();
        const std::size_t start = pos_;
        pos_ = scan_data(start);
        if (pos_ >= n) fail_end();
        std::uint8_t cls = table_[static_cast<unsigned char>(in_[pos_])];
        if (cls == kComponent || cls == kElement || cls == kTerminator) {
            values_->push_back({start, pos_ - start, false});  // fast path: no escapes, no transcoding
            return cls;
        }
        // Slow path: release characters and/or Latin-1 high bytes.
        std::string& value = *decoded_;
        const std::size_t decoded_start = value.size();
        value.append(in_.data() + start, pos_ - start);
        while (true) {
            if (pos_ >= n) fail_end();
            const auto c = static_cast<unsigned char>(in_[pos_]);
            cls = table_[c];
            switch (cls) {
                case kData:
                    value.push_back(static_cast<char>(c));
                    ++pos_;
                    break;
                case kRelease: {
                    if (pos_ + 1 >= n)
                        fail(pos_, "a separator or release character after release character '" +
                                            std::string(1, seps_.release) + "'",
                             "end of data");
                    const char next = in_[pos_ + 1];
                    if (!seps_.needs_release(next))
                        fail(pos_ + 1,
                             "a separator or release character after release character '" +
                                 std::string(1, seps_.release) + "'",
                             describe_byte(static_cast<unsigned char>(next)));
                    // An escaped separator is data; a Latin-1 separator byte is transcoded like
                    // any other (UNOA/UNOB cannot carry bytes >= 0x80 at all).
                    if (static_cast<unsigned char>(next) >= 0x80) {
                        if (charset_ != Charset::UNOC) fail_byte(pos_ + 1);
                        append_latin1_as_utf8(in_.substr(pos_ + 1, 1), value);
                    } else {
                        value.push_back(next);
                    }
                    pos_ += 2;
                    break;
                }
                case kHigh: {
                    if (options_.reject_utf8_in_unoc && utf8_sequence_length(in_, pos_) >= 2)
                        fail(pos_, "ISO 8859-1 text (UNOC), not UTF-8",
                             "UTF-8 multi-byte sequence " + hex_bytes(in_.substr(pos_, utf8_sequence_length(in_, pos_))));
                    append_latin1_as_utf8(in_.substr(pos_, 1), value);
                    ++pos_;
                    break;
                }
                case kBad:
                    fail_byte(pos_);
                default:
                    values_->push_back({decoded_start, value.size() - decoded_start, true});
                    return cls;
            }
        }
    }

    std::string_view in_;
    const ParseOptions& options_;
    Separators seps_;
    Charset charset_ = Charset::UNOB;
    ClassTable table_{};
    std::size_t pos_ = 0;
    std::size_t count_ = 0;
    bool has_una_ = false;
    bool line_break_captured_ = false;
    std::string line_break_;
    // The segment being read (for errors and for the caller).
    std::size_t number_ = 0;
    std::size_t offset_ = 0;
    std::string_view tag_;
    std::size_t first_element_ = 0;  // the segment's first element in *elements_
    // Component values and data elements, in order; unescaped / transcoded values. The Lexer's
    // own scratch (reused per segment) for next(), a ParsedInterchange's lists for next_view().
    std::vector<detail::ValueSpan> own_values_;
    std::vector<detail::ElementSpan> own_elements_;
    std::string own_decoded_;
    std::vector<detail::ValueSpan>* values_ = &own_values_;
    std::vector<detail::ElementSpan>* elements_ = &own_elements_;
    std::string* decoded_ = &own_decoded_;
};

// ---- structural layer ------------------------------------------------------------------------
// Written once for both segment models: Segment (parse) and SegmentView (parse_views).

template <class Seg>
[[noreturn]] void fail_at(const Seg& seg, std::string expected, std::string found) {
    throw ParseError(seg.number, seg.offset, std::string(seg.tag), std::move(expected), std::move(found));
}

using detail::quoted;
using detail::tag_is;

template <class Seg>
void require_components(const Seg& seg, std::size_t element, std::size_t max_components, const char* what) {
    if (seg.element_count() > element && seg.component_count(element) > max_components)
        fail_at(seg, std::string(what) + " with at most " + std::to_string(max_components) + " components",
                std::to_string(seg.component_count(element)) + " components");
}

template <class Seg>
void require_value(const Seg& seg, std::size_t element, std::size_t component, const char* what) {
    if (seg.value(element, component).empty()) fail_at(seg, what, "nothing");
}

std::optional<std::size_t> to_count(std::string_view s) {
    std::size_t v = 0;
    if (s.empty()) return std::nullopt;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

// Elements [from, end) as Elements (the rarely used "extra" header elements).
template <class Seg>
void copy_elements(const Seg& seg, std::size_t from, std::vector<Element>& out) {
    for (std::size_t e = from; e < seg.element_count(); ++e) {
        Element& element = out.emplace_back();
        for (std::size_t c = 0; c < seg.component_count(e); ++c) element.emplace_back(seg.value(e, c));
    }
}

template <class Seg>
void copy_components(const Seg& seg, std::size_t element, std::size_t from, std::vector<std::string>& out) {
    for (std::size_t c = from; c < seg.component_count(element); ++c) out.emplace_back(seg.value(element, c));
}

template <class Seg>
Party party_of(const Seg& seg, std::size_t element) {
    return Party{std::string(seg.value(element, 0)), std::string(seg.value(element, 1)),
                 std::string(seg.value(element, 2))};
}

template <class Seg>
void read_unb(const Seg& unb, Interchange& ic) {
    if (unb.element_count() < 5)
        fail_at(unb, "UNB with syntax identifier, sender, recipient, date/time and control reference",
                std::to_string(unb.element_count()) + " data elements");
    require_components(unb, 1, 3, "UNB sender (S002)");
    require_components(unb, 2, 3, "UNB recipient (S003)");
    require_components(unb, 3, 2, "UNB date/time (S004)");
    require_components(unb, 4, 1, "UNB control reference (0020)");
    require_value(unb, 0, 0, "UNB syntax identifier (S001/0001)");
    require_value(unb, 0, 1, "UNB syntax version (S001/0002)");
    require_value(unb, 1, 0, "UNB sender id (S002/0004)");
    require_value(unb, 2, 0, "UNB recipient id (S003/0010)");
    require_value(unb, 3, 0, "UNB date YYMMDD (S004/0017)");
    require_value(unb, 3, 1, "UNB time HHMM (S004/0019)");
    require_value(unb, 4, 0, "UNB interchange control reference (0020)");
    ic.syntax_id = unb.value(0, 0);
    ic.syntax_version = unb.value(0, 1);
    ic.syntax_extra.clear();
    copy_components(unb, 0, 2, ic.syntax_extra);
    ic.sender = party_of(unb, 1);
    ic.receiver = party_of(unb, 2);
    ic.date = unb.value(3, 0);
    ic.time = unb.value(3, 1);
    ic.reference = unb.value(4, 0);
    ic.header_extra.clear();
    copy_elements(unb, 5, ic.header_extra);
}

template <class Seg, class Msg>
void read_unh(const Seg& unh, Msg& m) {
    if (unh.element_count() < 2)
        fail_at(unh, "UNH with message reference and message identifier",
                std::to_string(unh.element_count()) + " data elements");
    require_components(unh, 0, 1, "UNH message reference (0062)");
    require_value(unh, 0, 0, "UNH message reference (0062)");
    require_value(unh, 1, 0, "UNH message type (S009/0065)");
    m.reference = unh.value(0);
    m.type = unh.value(1, 0);
    m.version = unh.value(1, 1);
    m.release = unh.value(1, 2);
    m.agency = unh.value(1, 3);
    m.association = unh.value(1, 4);
    copy_components(unh, 1, 5, m.identifier_extra);
    copy_elements(unh, 2, m.header_extra);
    m.number = unh.number;
    m.offset = unh.offset;
}

// A body segment joins its message: moved into it, or (views) counted.
void add_body(Message& m, Segment&& seg) { m.segments.push_back(std::move(seg)); }
void add_body(MessageView& m, const SegmentView& seg) {
    if (m.body_size++ == 0) m.body_begin = seg.number - 1;  // segments are numbered from 1
}

void check_partners(const Interchange& ic, const std::vector<Message>&) { check_market_partners(ic); }
void check_partners(const Interchange& ic, const std::vector<MessageView>& messages) {
    detail::check_market_partners(ic, messages);
}

// Streaming structure check: UNB, then UNH..UNT messages, then UNZ, then nothing.
// Fills `ic` (header) and `messages` (ic.messages for the Segment model).
template <class Seg, class Msg>
class Assembler {
public:
    /// `terminator_bytes`: how many segment terminator bytes the input holds (escaped ones and
    /// the UNA included), an upper bound for the segments still to come; SIZE_MAX if unknown.
    Assembler(Interchange& ic, std::vector<Msg>& messages, const Separators& separators, bool has_una,
              const std::string& line_break, std::size_t terminator_bytes = SIZE_MAX)
        : ic_(ic), messages_(messages), terminator_bytes_(terminator_bytes) {
        ic_.separators = separators;
        ic_.has_una = has_una;
        ic_.line_break = line_break;
    }

    template <class S>
    void feed(S&& seg) {
        switch (state_) {
            case State::ExpectUnb:
                if (!tag_is(seg, "UNB")) fail_at(seg, "UNB segment", "segment " + std::string(seg.tag));
                read_unb(seg, ic_);
                state_ = State::BetweenMessages;
                return;
            case State::InMessage: {
                Msg& m = messages_.back();
                if (tag_is(seg, "UNT")) {
                    close_message(m, seg);
                    state_ = State::BetweenMessages;
                } else if (tag_is(seg, "UNH") || tag_is(seg, "UNZ")) {
                    fail_at(seg, "UNT closing message " + quoted(m.reference), "segment " + std::string(seg.tag));
                } else {
                    add_body(m, std::forward<S>(seg));
                }
                return;
            }
            case State::BetweenMessages:
                if (tag_is(seg, "UNH")) {
                    Msg& m = messages_.emplace_back();
                    read_unh(seg, m);
                    if constexpr (std::is_same_v<Msg, Message>) m.segments.reserve(body_bound(seg));
                    state_ = State::InMessage;
                } else if (tag_is(seg, "UNZ")) {
                    close_interchange(seg);
                    state_ = State::Done;
                } else if (tag_is(seg, "UNG")) {
                    fail_at(seg, "UNH or UNZ (functional groups are not used in EDI@Energy)", "segment UNG");
                } else if (tag_is(seg, "UNT")) {
                    fail_at(seg, "UNH or UNZ", "UNT without UNH");
                } else {
                    fail_at(seg, "UNH or UNZ", "segment " + std::string(seg.tag) + " outside a message");
                }
                return;
            case State::Done:
                fail_at(seg, "end of data after UNZ", "segment " + std::string(seg.tag));
        }
    }

    void finish(std::size_t end_number, std::size_t end_offset, const ParseOptions& options) {
        std::string expected;
        switch (state_) {
            case State::ExpectUnb: expected = "UNB segment"; break;
            case State::InMessage: expected = "UNT closing message " + quoted(messages_.back().reference); break;
            case State::BetweenMessages: expected = "UNZ closing interchange " + quoted(ic_.reference); break;
            case State::Done: break;
        }
        if (!expected.empty()) throw ParseError(end_number, end_offset, "", expected, "end of data");
        if (options.check_market_partners) check_partners(ic_, messages_);
    }

private:
    enum class State { ExpectUnb, BetweenMessages, InMessage, Done };

    template <class S>
    static void close_message(const Msg& m, const S& unt) {
        const std::size_t counted = m.segment_count();
        const auto declared = to_count(unt.value(0));
        if (!declared || *declared != counted)
            fail_at(unt, "UNT segment count " + std::to_string(counted) + " (UNH..UNT inclusive)", quoted(unt.value(0)));
        if (unt.value(1) != m.reference)
            fail_at(unt, "UNT message reference " + quoted(m.reference) + " (as in UNH)", quoted(unt.value(1)));
        if (unt.element_count() > 2) fail_at(unt, "UNT with 2 data elements", std::to_string(unt.element_count()));
    }

    template <class S>
    void close_interchange(const S& unz) const {
        const auto declared = to_count(unz.value(0));
        if (!declared || *declared != messages_.size())
            fail_at(unz, "UNZ message count " + std::to_string(messages_.size()), quoted(unz.value(0)));
        if (unz.value(1) != ic_.reference)
            fail_at(unz, "UNZ control reference " + quoted(ic_.reference) + " (as in UNB)", quoted(unz.value(1)));
        if (unz.element_count() > 2) fail_at(unz, "UNZ with 2 data elements", std::to_string(unz.element_count()));
    }

    // Capacity for a message body: at most 16 up front, fewer when the input cannot hold more.
    // A typical GPKE message has ~11 segments, and 16 Segments (1152 bytes) are past glibc's
    // small-allocation cache: that one allocation used to cost ~2,400 instructions per file.
    template <class S>
    std::size_t body_bound(const S& unh) const {
        const std::size_t used = unh.number + (ic_.has_una ? 1 : 0);  // UNA, UNB .. UNH
        const std::size_t left = terminator_bytes_ > used ? terminator_bytes_ - used : 0;
        return std::min<std::size_t>(left > 0 ? left - 1 : 0, 16);  // minus UNT
    }

    Interchange& ic_;
    std::vector<Msg>& messages_;
    State state_ = State::ExpectUnb;
    std::size_t terminator_bytes_;
};

}  // namespace

Separators read_separators(std::string_view bytes, bool* has_una) {
    Separators s;
    const bool una = bytes.substr(0, 3) == "UNA";
    if (has_una) *has_una = una;
    if (!una) return s;
    if (bytes.size() < kUnaLength)
        throw ParseError(0, bytes.size(), "UNA", "6 service characters after UNA", "end of data");
    s.component = bytes[3];
    s.element = bytes[4];
    s.decimal = bytes[5];
    s.release = bytes[6];
    s.reserved = bytes[7];
    s.segment = bytes[8];
    const char roles[] = {s.component, s.element, s.release, s.segment};
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = i + 1; j < 4; ++j)
            if (roles[i] == roles[j])
                throw ParseError(0, 3, "UNA", "distinct component, element, release and segment characters",
                                 "'" + std::string(1, roles[i]) + "' used twice");
    for (char c : roles) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9'))
            throw ParseError(0, 3, "UNA", "separators that are not letters or digits",
                             "'" + std::string(1, c) + "'");
    }
    return s;
}

SegmentStream parse_segments(std::string_view bytes, const ParseOptions& options) {
    Lexer lexer(bytes, options);
    lexer.begin();
    SegmentStream out;
    out.segments.reserve(bytes.size() / 24 + 4);
    while (lexer.next(out.segments.emplace_back())) {
    }
    out.segments.pop_back();
    out.separators = lexer.separators();
    out.has_una = lexer.has_una();
    out.line_break = lexer.line_break();
    out.charset = lexer.charset();
    out.end_offset = bytes.size();
    return out;
}

Interchange assemble(SegmentStream&& stream, const ParseOptions& options) {
    Interchange ic;
    Assembler<Segment, Message> a(ic, ic.messages, stream.separators, stream.has_una, stream.line_break);
    for (Segment& seg : stream.segments) a.feed(std::move(seg));
    a.finish(stream.segments.size() + 1, stream.end_offset, options);
    return ic;
}

Interchange parse(std::string_view bytes, const ParseOptions& options) {
    // Streaming: segments go straight into their message, no intermediate segment list.
    Lexer lexer(bytes, options);
    lexer.begin();
    Segment seg;
    Interchange ic;
    std::optional<Assembler<Segment, Message>> a;
    const auto terminators =
        static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), lexer.separators().segment));
    while (lexer.next(seg)) {
        if (!a) a.emplace(ic, ic.messages, lexer.separators(), lexer.has_una(), lexer.line_break(), terminators);
        a->feed(std::move(seg));
    }
    if (!a) a.emplace(ic, ic.messages, lexer.separators(), lexer.has_una(), lexer.line_break());
    a->finish(lexer.count() + 1, bytes.size(), options);
    return ic;
}

// ---- view model ------------------------------------------------------------------------------

void ViewBuilder::begin(ParsedInterchange& out, std::string_view bytes, std::size_t segments) {
    out.input_ = bytes;
    out.segments_.reserve(segments);
    out.elements_.reserve(segments * 3);
    out.values_.reserve(bytes.size() / 8 + 8);
}

void ViewBuilder::finish(ParsedInterchange& out) {
    for (MessageView& m : out.messages)
        m.segments = std::span<const SegmentView>(out.segments_.data() + m.body_begin, m.body_size);
}

void parse_views(std::string_view bytes, ParsedInterchange& out, const ParseOptions& options) {
    // As parse(), with the segments kept as views in `out` instead of built as Segments.
    out.clear();
    Lexer lexer(bytes, options, out);
    lexer.begin();
    std::optional<Assembler<SegmentView, MessageView>> a;
    const auto terminators =
        static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), lexer.separators().segment));
    ViewBuilder::begin(out, bytes, terminators);
    while (lexer.next_view(out)) {
        if (!a) a.emplace(out.header, out.messages, lexer.separators(), lexer.has_una(), lexer.line_break(), terminators);
        a->feed(ViewBuilder::last(out));
    }
    if (!a) a.emplace(out.header, out.messages, lexer.separators(), lexer.has_una(), lexer.line_break());
    ViewBuilder::finish(out);  // all segments read: the messages' spans no longer move
    a->finish(lexer.count() + 1, bytes.size(), options);
}

}  // namespace mako::edifact
