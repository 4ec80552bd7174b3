// Fuzz target: HTTP/1.1 request framing (http/RequestReader) and the request-target parser
// (http/RequestTarget), as a connection feeds them. The first byte picks how the input is cut
// into reads, so a request split at every possible byte is tried, not only whole ones.
#include "http/RequestReader.h"
#include "http/RequestTarget.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using maestro::host::http::RequestReader;
using maestro::host::http::RequestTarget;

namespace {

// Small limits, so the fuzzer reaches every refusal (414, 431, 413) with small inputs.
maestro::host::http::RequestLimits smallLimits() {
    maestro::host::http::RequestLimits limits;
    limits.maxRequestLine = 256;
    limits.maxHeaderLine = 256;
    limits.maxHeaderBytes = 1024;
    limits.maxHeaderFields = 16;
    limits.maxBody = 4096;
    return limits;
}

void check(bool condition) {
    if (!condition) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t step = data[0] == 0 ? size : data[0]; // bytes per read; 0: all at once
    std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    RequestReader reader(smallLimits());
    while (!input.empty()) {
        const auto read = input.substr(0, step);
        const auto used = reader.feed(read);
        check(used <= read.size());
        input.remove_prefix(used);
        switch (reader.state()) {
        case RequestReader::State::Failed:
            check(reader.error().status() >= 400 && reader.error().status() < 600);
            return 0;
        case RequestReader::State::Complete: {
            auto request = reader.take();
            check(request && request->body.size() <= smallLimits().maxBody);
            try {
                auto target = RequestTarget::parse(request->head.getURI());
                for (const auto& segment : target.segments)
                    check(!segment.empty());
                target.queryParameters();
            } catch (const maestro::domain::ApiError& e) {
                check(e.status() == 400);
            }
            break; // on to a pipelined next request
        }
        default:
            // Short of a whole request the reader must take every byte it is given: the
            // server keeps what it leaves for the next request.
            check(used == read.size());
            reader.takeExpectContinue();
        }
    }
    reader.endOfInput();
    check(reader.state() == RequestReader::State::Idle ||
          reader.state() == RequestReader::State::Failed);
    return 0;
}
