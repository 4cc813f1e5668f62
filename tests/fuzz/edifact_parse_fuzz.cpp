// libFuzzer target for the EDIFACT codec. Besides "no crash / no sanitizer report" it checks
// properties that must hold for every input the parser accepts:
//   1. write() never fails on a parsed interchange, and parse(write(x)) == x  (model round trip);
//   2. write(parse(write(x))) == write(x)  (writer output is a fixed point, byte for byte);
//   3. for each typed view that accepts a message, read(build(read(m))) == read(m) (APERAK: stable
//      from the first rebuild on, see check_normalised_view).
// Only ParseError is an expected exception; anything else escapes and is reported as a crash.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/edifact/validation.hpp"
#include "mako/domain/edifact/writer.hpp"

namespace {

using namespace mako::edifact;

template <class Read, class Build>
void check_view(const Message& m, Read read, Build build) {
    try {
        const auto view = read(m);
        if (!(read(build(view)) == view)) __builtin_trap();
    } catch (const ParseError&) {
    }
}

// APERAK: the builder writes the layout of the release and may refuse what the MIG does not
// admit (std::invalid_argument); it normalises (drops RFF+ACW where the release has none, cuts
// texts to 512 characters), so the view is stable from the first rebuild on.
void check_normalised_view(const Message& m) {
    try {
        const auto once = read_aperak(build_aperak(read_aperak(m)));
        if (!(read_aperak(build_aperak(once)) == once)) __builtin_trap();
    } catch (const ParseError&) {
    } catch (const std::invalid_argument&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    try {
        (void)parse_segments(bytes);
    } catch (const ParseError&) {
    }
    Interchange ic;
    try {
        ic = parse(bytes);
    } catch (const ParseError&) {
        return 0;
    }
    const std::string written = write(ic);
    const Interchange again = parse(written);
    if (!(again == ic)) __builtin_trap();
    if (write(again) != written) __builtin_trap();

    try {
        validate_messages(ic);
    } catch (const ParseError&) {
    }
    for (const Message& m : ic.messages) {
        if (m.type == "UTILMD") check_view(m, [](const Message& x) { return read_utilmd(x); }, build_utilmd);
        if (m.type == "APERAK") check_normalised_view(m);
        if (m.type == "CONTRL") check_view(m, [](const Message& x) { return read_contrl(x); }, build_contrl);
    }
    return 0;
}
