#include "http/RequestReader.h"

#include <Poco/MemoryStream.h>
#include <Poco/String.h>
#include <algorithm>
#include <limits>
#include <vector>

namespace maestro::host::http {

using domain::ApiError;

namespace {

// Poco refuses longer field names (MessageHeader::MAX_NAME_LENGTH).
constexpr std::size_t kMaxFieldName = 256;
constexpr std::size_t kMaxChunkSizeLine = 1024;
constexpr int kMaxEmptyLinesBeforeRequest = 4;

ApiError badFraming(std::string code, std::string message) {
    return ApiError::badRequest(std::move(code), std::move(message));
}

ApiError headersTooLarge(std::string message, std::size_t limit) {
    return ApiError(431, "headers_too_large", std::move(message),
                    "{\"limit\":" + std::to_string(limit) + "}");
}

bool isTokenChar(char c) {
    static constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           kSpecials.find(c) != std::string_view::npos;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

// Every value of the fields with this name, in order (a field may be repeated).
std::vector<std::string> valuesOf(const Poco::Net::HTTPRequest& head, const std::string& name) {
    std::vector<std::string> values;
    for (const auto& [key, value] : head)
        if (Poco::icompare(key, name) == 0) values.push_back(value);
    return values;
}

// A decimal number that fits in 64 bits; nullopt for anything else.
std::optional<std::uint64_t> parseDecimal(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

ApiError tooLarge(std::size_t limit) {
    return ApiError(413, "payload_too_large",
                    "Request body exceeds " + std::to_string(limit) + " bytes",
                    "{\"limit\":" + std::to_string(limit) + "}");
}

} // namespace

std::size_t RequestReader::feed(std::string_view data) {
    std::size_t used = 0;
    if (state_ == State::Idle || state_ == State::Head) used += feedHead(data);
    if (state_ == State::Body) used += feedBody(data.substr(used));
    return used;
}

void RequestReader::endOfInput() {
    if (state_ == State::Head && !sawRequestLine_ && head_.empty()) state_ = State::Idle;
    if (state_ == State::Head)
        fail(badFraming("incomplete_request",
                        "The connection closed before the request head was complete"));
    else if (state_ == State::Body)
        fail(badFraming("incomplete_body", "The connection closed before the request body "
                                           "was complete (" +
                                               std::to_string(request_->body.size()) +
                                               " bytes arrived)"));
}

std::unique_ptr<IncomingRequest> RequestReader::take() {
    state_ = State::Idle;
    head_.clear();
    if (head_.capacity() > 4096) head_.shrink_to_fit();
    lineStart_ = 0;
    sawRequestLine_ = false;
    fields_ = 0;
    emptyLinesBefore_ = 0;
    chunked_ = false;
    remaining_ = 0;
    chunk_ = Chunk::Size;
    line_.clear();
    trailerBytes_ = 0;
    return std::move(request_);
}

void RequestReader::fail(ApiError error) {
    state_ = State::Failed;
    error_.emplace(std::move(error));
}

std::size_t RequestReader::feedHead(std::string_view data) {
    if (state_ == State::Idle && !data.empty()) {
        state_ = State::Head;
        request_ = std::make_unique<IncomingRequest>();
    }
    std::size_t used = 0;
    while (used < data.size() && state_ == State::Head) {
        auto rest = data.substr(used);
        auto end = rest.find('\n');
        auto take = end == std::string_view::npos ? rest.size() : end + 1;
        head_.append(rest.data(), take);
        used += take;
        std::string_view line(head_.data() + lineStart_, head_.size() - lineStart_);
        if (end == std::string_view::npos) {
            // A partial line may end in the '\r' of its line break.
            checkHeadLimits(line.size() > 0 ? line.size() - 1 : 0);
            break;
        }
        line.remove_suffix(1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        checkHeadLimits(line.size());
        if (state_ != State::Head) break;
        headLine(line);
        lineStart_ = head_.size();
    }
    return used;
}

void RequestReader::checkHeadLimits(std::size_t lineLength) {
    if (!sawRequestLine_) {
        if (lineLength > limits_.maxRequestLine)
            fail(ApiError(414, "uri_too_long",
                          "The request line is longer than " +
                              std::to_string(limits_.maxRequestLine) + " bytes",
                          "{\"limit\":" + std::to_string(limits_.maxRequestLine) + "}"));
    } else if (lineLength > limits_.maxHeaderLine) {
        fail(headersTooLarge("A header field is longer than " +
                                 std::to_string(limits_.maxHeaderLine) + " bytes",
                             limits_.maxHeaderLine));
    } else if (head_.size() > limits_.maxHeaderBytes) {
        fail(headersTooLarge("The request head is larger than " +
                                 std::to_string(limits_.maxHeaderBytes) + " bytes",
                             limits_.maxHeaderBytes));
    }
}

void RequestReader::headLine(std::string_view line) {
    if (!sawRequestLine_) {
        if (!line.empty()) {
            sawRequestLine_ = true;
        } else if (++emptyLinesBefore_ > kMaxEmptyLinesBeforeRequest) {
            fail(badFraming("malformed_request", "The request line is missing"));
        } else {
            head_.clear(); // an empty line before the request line is ignored
        }
        return;
    }
    if (line.empty()) {
        parseHead();
        return;
    }
    if (++fields_ > limits_.maxHeaderFields) {
        fail(headersTooLarge("The request has more than " +
                                 std::to_string(limits_.maxHeaderFields) + " header fields",
                             limits_.maxHeaderFields));
        return;
    }
    // "Name: value", the name a token right before the colon. Anything else — no colon,
    // space before it, a folded continuation line — is refused rather than guessed at: it is
    // how a request smuggles a second meaning past another parser (RFC 9112 §5).
    auto colon = line.find(':');
    if (colon != std::string_view::npos && colon > kMaxFieldName) {
        fail(headersTooLarge("A header field name is longer than " + std::to_string(kMaxFieldName) +
                                 " bytes",
                             kMaxFieldName));
    } else if (colon == 0 || colon == std::string_view::npos ||
               !std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon),
                            isTokenChar)) {
        fail(badFraming("malformed_request", "A header field is not \"name: value\""));
    }
}

void RequestReader::parseHead() {
    auto& head = request_->head;
    head.setFieldLimit(static_cast<int>(limits_.maxHeaderFields));
    try {
        Poco::MemoryInputStream in(head_.data(), static_cast<std::streamsize>(head_.size()));
        head.read(in);
    } catch (const Poco::Exception& e) {
        fail(badFraming("malformed_request", "The request head is malformed: " + e.message()));
        return;
    }
    const auto& method = head.getMethod();
    if (method.empty() || !std::all_of(method.begin(), method.end(), isTokenChar)) {
        fail(badFraming("malformed_request", "The request method is not a token"));
        return;
    }
    const auto& version = head.getVersion();
    if (version != Poco::Net::HTTPMessage::HTTP_1_1 &&
        version != Poco::Net::HTTPMessage::HTTP_1_0) {
        fail(ApiError(505, "http_version_not_supported",
                      "Only HTTP/1.0 and HTTP/1.1 are supported"));
        return;
    }
    decideBodyLength();
    if (state_ == State::Body && version == Poco::Net::HTTPMessage::HTTP_1_1 &&
        head.getExpectContinue())
        expectContinue_ = true;
}

void RequestReader::decideBodyLength() {
    const auto& head = request_->head;
    auto codings = valuesOf(head, Poco::Net::HTTPMessage::TRANSFER_ENCODING);
    auto lengths = valuesOf(head, Poco::Net::HTTPMessage::CONTENT_LENGTH);
    if (!codings.empty()) {
        if (!lengths.empty()) {
            fail(badFraming("invalid_content_length",
                            "Content-Length and Transfer-Encoding cannot be used together"));
            return;
        }
        if (head.getVersion() == Poco::Net::HTTPMessage::HTTP_1_0) {
            fail(badFraming("invalid_transfer_encoding",
                            "Transfer-Encoding is not allowed in an HTTP/1.0 request"));
            return;
        }
        std::vector<std::string> list;
        for (const auto& value : codings) {
            std::size_t start = 0;
            while (start <= value.size()) {
                auto comma = std::min(value.find(',', start), value.size());
                auto coding = trim(std::string_view(value).substr(start, comma - start));
                if (!coding.empty()) list.push_back(Poco::toLower(std::string(coding)));
                start = comma + 1;
            }
        }
        if (list.empty() || list.back() != "chunked") {
            fail(badFraming("invalid_transfer_encoding",
                            "The last transfer coding of a request must be chunked"));
            return;
        }
        if (list.size() > 1) {
            fail(ApiError(501, "unsupported_transfer_encoding",
                          "Only the chunked transfer coding is supported"));
            return;
        }
        chunked_ = true;
        state_ = State::Body;
        return;
    }
    if (lengths.empty()) {
        state_ = State::Complete;
        return;
    }
    if (lengths.size() > 1 || lengths.front().find(',') != std::string::npos) {
        fail(badFraming("invalid_content_length", "The request has more than one Content-Length"));
        return;
    }
    auto length = parseDecimal(trim(lengths.front()));
    if (!length) {
        fail(badFraming("invalid_content_length",
                        "Content-Length must be a decimal number of at most 64 bits"));
        return;
    }
    if (*length > limits_.maxBody) {
        fail(tooLarge(limits_.maxBody));
        return;
    }
    remaining_ = *length;
    request_->body.reserve(std::min<std::size_t>(*length, 64 * 1024));
    state_ = remaining_ > 0 ? State::Body : State::Complete;
}

std::size_t RequestReader::feedBody(std::string_view data) {
    if (chunked_) return feedChunked(data);
    auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size()));
    request_->body.append(data.data(), take);
    remaining_ -= take;
    if (remaining_ == 0) state_ = State::Complete;
    return take;
}

std::size_t RequestReader::collectLine(std::string_view data, std::size_t maxLength,
                                       bool& lineDone) {
    auto end = data.find('\n');
    auto take = end == std::string_view::npos ? data.size() : end;
    // Bounded even before the line ends: a line that never ends must not grow without limit.
    take = std::min(take, maxLength + 2 - std::min(maxLength + 2, line_.size()));
    line_.append(data.data(), take);
    lineDone = end != std::string_view::npos && take == end;
    if (!lineDone) return take;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    return take + 1;
}

std::size_t RequestReader::feedChunked(std::string_view data) {
    auto& body = request_->body;
    std::size_t used = 0;
    while (used < data.size() && state_ == State::Body) {
        auto rest = data.substr(used);
        bool lineDone = false;
        switch (chunk_) {
        case Chunk::Size:
            used += collectLine(rest, kMaxChunkSizeLine, lineDone);
            if (lineDone)
                chunkSizeLine();
            else if (line_.size() > kMaxChunkSizeLine)
                fail(badFraming("invalid_chunk", "A chunk-size line is too long"));
            break;
        case Chunk::Data: {
            auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, rest.size()));
            body.append(rest.data(), take);
            used += take;
            remaining_ -= take;
            if (remaining_ == 0) chunk_ = Chunk::DataEnd;
            break;
        }
        case Chunk::DataEnd:
            used += collectLine(rest, 0, lineDone);
            if (lineDone && line_.empty()) {
                chunk_ = Chunk::Size;
            } else if (lineDone || line_.size() > 1) {
                fail(badFraming("invalid_chunk", "A chunk is longer than its size"));
            }
            if (lineDone) line_.clear();
            break;
        case Chunk::Trailer:
            used += collectLine(rest, limits_.maxHeaderLine, lineDone);
            if (!lineDone) {
                if (line_.size() > limits_.maxHeaderLine)
                    fail(headersTooLarge("A trailer field is too long", limits_.maxHeaderLine));
                break;
            }
            if (line_.empty()) {
                state_ = State::Complete;
            } else if ((trailerBytes_ += line_.size()) > limits_.maxHeaderBytes) {
                fail(headersTooLarge("The trailer fields are too large", limits_.maxHeaderBytes));
            }
            line_.clear();
            break;
        }
    }
    return used;
}

void RequestReader::chunkSizeLine() {
    std::string_view line = line_;
    auto digits = std::find_if_not(line.begin(), line.end(),
                                   [](char c) {
                                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                                              (c >= 'A' && c <= 'F');
                                   }) -
                  line.begin();
    auto rest = trim(line.substr(static_cast<std::size_t>(digits)));
    if (digits == 0 || digits > 16 || (!rest.empty() && rest.front() != ';')) {
        fail(badFraming("invalid_chunk", "A chunk size is not a hexadecimal number"));
        return;
    }
    std::uint64_t size =
        std::stoull(std::string(line.substr(0, static_cast<std::size_t>(digits))), nullptr, 16);
    line_.clear();
    if (size > limits_.maxBody - std::min(limits_.maxBody, request_->body.size())) {
        fail(tooLarge(limits_.maxBody));
        return;
    }
    remaining_ = size;
    chunk_ = size == 0 ? Chunk::Trailer : Chunk::Data;
}

} // namespace maestro::host::http
