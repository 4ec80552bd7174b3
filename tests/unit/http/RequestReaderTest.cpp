#include "http/RequestReader.h"

#include <gtest/gtest.h>

using namespace maestro::host::http;
using State = RequestReader::State;

namespace {

// Feeds the bytes in pieces of at most `step`, the way they may arrive from a socket.
// Returns the bytes left over after the first request ended.
std::string feedInSteps(RequestReader& reader, const std::string& bytes, std::size_t step) {
    std::size_t at = 0;
    while (at < bytes.size() && (reader.state() == State::Idle || reader.state() == State::Head ||
                                 reader.state() == State::Body)) {
        auto piece = std::string_view(bytes).substr(at, step);
        auto used = reader.feed(piece);
        at += used;
        if (used < piece.size()) break;
    }
    return bytes.substr(at);
}

const std::string kPost = "POST /api/projects HTTP/1.1\r\nHost: h\r\n";

} // namespace

TEST(RequestReader, ReadsAGetAndStopsWhereTheNextRequestBegins) {
    RequestReader reader;
    std::string second = "GET /b HTTP/1.1\r\n\r\n";
    std::string bytes = "GET /a?x=1 HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n" + second;
    auto used = reader.feed(bytes);
    ASSERT_EQ(reader.state(), State::Complete);
    EXPECT_EQ(bytes.substr(used), second);
    auto request = reader.take();
    EXPECT_EQ(request->head.getMethod(), "GET");
    EXPECT_EQ(request->head.getURI(), "/a?x=1");
    EXPECT_EQ(request->head.get("X-A"), "1");
    EXPECT_TRUE(request->body.empty());
    EXPECT_EQ(reader.state(), State::Idle);
    reader.feed(second);
    ASSERT_EQ(reader.state(), State::Complete);
    EXPECT_EQ(reader.take()->head.getURI(), "/b");
}

TEST(RequestReader, GivesTheSameRequestWhateverTheBytesSplit) {
    const std::vector<std::string> requests = {
        kPost + "Content-Length: 11\r\n\r\n{\"a\":\"bcd\"}",
        kPost + "Transfer-Encoding: chunked\r\n\r\n4;x=y\r\n{\"a\"\r\n7\r\n:\"bcd\"}\r\n0\r\nT: "
                "1\r\n\r\n",
        "\r\nGET /lf-only HTTP/1.1\nHost: h\n\n",
    };
    for (const auto& bytes : requests) {
        SCOPED_TRACE(bytes);
        RequestReader whole;
        whole.feed(bytes + "NEXT");
        ASSERT_EQ(whole.state(), State::Complete);
        auto expected = whole.take();
        for (std::size_t step : {1u, 2u, 3u, 7u, 64u}) {
            RequestReader reader;
            auto rest = feedInSteps(reader, bytes + "NEXT", step);
            ASSERT_EQ(reader.state(), State::Complete) << "step " << step;
            EXPECT_EQ(rest, "NEXT");
            auto request = reader.take();
            EXPECT_EQ(request->head.getURI(), expected->head.getURI());
            EXPECT_EQ(request->body, expected->body);
        }
    }
}

TEST(RequestReader, AcceptsEachLimitExactlyAndRefusesOneByteMore) {
    RequestLimits limits;
    limits.maxRequestLine = 100;
    limits.maxHeaderLine = 50;
    limits.maxHeaderFields = 3;
    limits.maxBody = 10;
    auto readerState = [&](const std::string& bytes) {
        RequestReader reader(limits);
        reader.feed(bytes);
        return reader.state() == State::Failed ? reader.error().status() : 0;
    };
    auto line = [](std::size_t length) { // a request line of exactly this length
        return "GET /" + std::string(length - 14, 'a') + " HTTP/1.1\r\n";
    };
    EXPECT_EQ(readerState(line(100) + "\r\n"), 0);
    EXPECT_EQ(readerState(line(101) + "\r\n"), 414);
    EXPECT_EQ(readerState(line(30) + "X: " + std::string(47, 'v') + "\r\n\r\n"), 0);
    EXPECT_EQ(readerState(line(30) + "X: " + std::string(48, 'v') + "\r\n\r\n"), 431);
    EXPECT_EQ(readerState(line(30) + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n"), 0);
    EXPECT_EQ(readerState(line(30) + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"), 431);
    EXPECT_EQ(readerState(kPost + "Content-Length: 10\r\n\r\n0123456789"), 0);
    EXPECT_EQ(readerState(kPost + "Content-Length: 11\r\n\r\n"), 413);
    EXPECT_EQ(readerState(kPost + "Transfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n"), 413);
}

TEST(RequestReader, RefusesAHeadThatKeepsGrowingBeforeItEnds) {
    RequestLimits limits;
    limits.maxHeaderBytes = 1000;
    RequestReader reader(limits);
    reader.feed("GET / HTTP/1.1\r\n");
    for (int i = 0; i < 40 && reader.state() == State::Head; ++i)
        reader.feed("X-" + std::to_string(i) + ": " + std::string(40, 'v') + "\r\n");
    ASSERT_EQ(reader.state(), State::Failed);
    EXPECT_EQ(reader.error().status(), 431);
}

TEST(RequestReader, EndOfInputFailsOnlyARequestBegun) {
    RequestReader idle;
    idle.endOfInput();
    EXPECT_EQ(idle.state(), State::Idle) << "a connection closed between requests is fine";

    RequestReader head;
    head.feed("GET / HTTP/1.1\r\nHo");
    head.endOfInput();
    ASSERT_EQ(head.state(), State::Failed);
    EXPECT_EQ(head.error().code(), "incomplete_request");

    RequestReader body;
    body.feed(kPost + "Content-Length: 10\r\n\r\n01234");
    body.endOfInput();
    ASSERT_EQ(body.state(), State::Failed);
    EXPECT_EQ(body.error().status(), 400);
    EXPECT_EQ(body.error().code(), "incomplete_body");
}

TEST(RequestReader, FlagsExpectContinueOnceWhenTheBodyIsAwaited) {
    RequestReader reader;
    reader.feed(kPost + "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n");
    EXPECT_EQ(reader.state(), State::Body);
    EXPECT_TRUE(reader.takeExpectContinue());
    EXPECT_FALSE(reader.takeExpectContinue());
    reader.feed("{}");
    EXPECT_EQ(reader.state(), State::Complete);

    RequestReader bodiless;
    bodiless.feed("GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n");
    EXPECT_EQ(bodiless.state(), State::Complete);
    EXPECT_FALSE(bodiless.takeExpectContinue());
}

TEST(RequestReader, NamesEachFramingError) {
    const std::vector<std::tuple<std::string, int, std::string>> cases = {
        {kPost + "Content-Length: 1e3\r\n\r\n", 400, "invalid_content_length"},
        {kPost + "Content-Length: 99999999999999999999\r\n\r\n", 400, "invalid_content_length"},
        {kPost + "Content-Length: 12,12\r\n\r\n", 400, "invalid_content_length"},
        {kPost + "Content-Length: 1\r\nContent-Length: 1\r\n\r\n", 400, "invalid_content_length"},
        {kPost + "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
         "invalid_content_length"},
        {kPost + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400, "invalid_transfer_encoding"},
        {kPost + "Transfer-Encoding: identity, chunked\r\n\r\n", 501,
         "unsupported_transfer_encoding"},
        {kPost + "Transfer-Encoding: chunked\r\n\r\n-1\r\n", 400, "invalid_chunk"},
        {kPost + "Transfer-Encoding: chunked\r\n\r\n1 x\r\n", 400, "invalid_chunk"},
        {kPost + "Transfer-Encoding: chunked\r\n\r\n1\r\nab\r\n", 400, "invalid_chunk"},
        {"GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\n", 400, "malformed_request"},
        {"GET / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n", 400, "malformed_request"},
        {"GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400, "malformed_request"},
        {"GET / HTTP/1.1\r\n: no name\r\n\r\n", 400, "malformed_request"},
        {"GET / HTTP/3.0\r\n\r\n", 505, "http_version_not_supported"},
        {"GET /\r\n\r\n", 400, "malformed_request"},
        {"\r\n\r\n\r\n\r\n\r\n\r\n", 400, "malformed_request"},
    };
    for (const auto& [bytes, status, code] : cases) {
        SCOPED_TRACE(bytes);
        RequestReader reader;
        reader.feed(bytes);
        ASSERT_EQ(reader.state(), State::Failed);
        EXPECT_EQ(reader.error().status(), status);
        EXPECT_EQ(reader.error().code(), code);
    }
}
