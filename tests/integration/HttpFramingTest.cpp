// Malformed, ambiguous and oversized requests, sent byte for byte over raw sockets: each gets
// its status with the right reason phrase and the JSON error shape, then the connection
// closes (its framing can no longer be trusted) — never a silent close or a default page.
#include "RawHttp.h"
#include "TestServer.h"

#include <gtest/gtest.h>

using namespace maestro::test;

namespace {

struct FramingCase {
    std::string name;
    std::string bytes;
    bool halfClose; // the client ends its side after sending
    int status;
    std::string reason;
    std::string code;
};

const std::string kHost = "Host: 127.0.0.1\r\n";

std::string post(const std::string& headers, const std::string& body = {}) {
    return "POST /api/projects HTTP/1.1\r\n" + kHost + headers + "\r\n" + body;
}

std::string manyFields(int count, std::size_t valueLength) {
    std::string fields;
    for (int i = 0; i < count; ++i)
        fields += "X-Field-" + std::to_string(i) + ": " + std::string(valueLength, 'v') + "\r\n";
    return fields;
}

void expectErrorShape(const RawResponse& response, int status, const std::string& code) {
    Poco::JSON::Object::Ptr error;
    ASSERT_NO_THROW(error = response.object()) << response.body;
    EXPECT_TRUE(error->getValue<bool>("error"));
    EXPECT_EQ(error->getValue<int>("statusCode"), status);
    EXPECT_EQ(error->getValue<std::string>("code"), code);
    EXPECT_FALSE(error->getValue<std::string>("message").empty());
    EXPECT_TRUE(error->isObject("details"));
    EXPECT_EQ(response.header("Content-Type"), "application/json; charset=utf-8");
}

} // namespace

class HttpFramingTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = new TestServer(); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    static TestServer* server_;
};

TestServer* HttpFramingTest::server_ = nullptr;

TEST_F(HttpFramingTest, EveryMalformedRequestGetsItsStatusAndTheErrorShapeThenClose) {
    const std::string body12 = R"({"name":"x"})";
    const std::vector<FramingCase> cases = {
        {"body cut short by a half-close", post("Content-Length: 100\r\n", body12), true, 400,
         "Bad Request", "incomplete_body"},
        {"chunked body cut short", post("Transfer-Encoding: chunked\r\n", "c\r\n{\"na"), true, 400,
         "Bad Request", "incomplete_body"},
        {"head cut short", "POST /api/projects HTTP/1.1\r\nHost: 127.0", true, 400, "Bad Request",
         "incomplete_request"},
        {"Content-Length not a number", post("Content-Length: abc\r\n", body12), false, 400,
         "Bad Request", "invalid_content_length"},
        {"Content-Length 2^70", post("Content-Length: 1180591620717411303424\r\n", body12), false,
         400, "Bad Request", "invalid_content_length"},
        {"Content-Length 2^64", post("Content-Length: 18446744073709551616\r\n"), false, 400,
         "Bad Request", "invalid_content_length"},
        {"negative Content-Length", post("Content-Length: -1\r\n"), false, 400, "Bad Request",
         "invalid_content_length"},
        {"Content-Length list", post("Content-Length: 12, 12\r\n", body12), false, 400,
         "Bad Request", "invalid_content_length"},
        {"Content-Length twice", post("Content-Length: 12\r\nContent-Length: 12\r\n", body12),
         false, 400, "Bad Request", "invalid_content_length"},
        {"Content-Length empty", post("Content-Length: \r\n", body12), false, 400, "Bad Request",
         "invalid_content_length"},
        {"Content-Length with Transfer-Encoding",
         post("Content-Length: 12\r\nTransfer-Encoding: chunked\r\n",
              "c\r\n" + body12 + "\r\n0\r\n\r\n"),
         false, 400, "Bad Request", "invalid_content_length"},
        {"Transfer-Encoding not ending in chunked", post("Transfer-Encoding: gzip\r\n"), false, 400,
         "Bad Request", "invalid_transfer_encoding"},
        {"Transfer-Encoding in HTTP/1.0",
         "POST /api/projects HTTP/1.0\r\n" + kHost + "Transfer-Encoding: chunked\r\n\r\n", false,
         400, "Bad Request", "invalid_transfer_encoding"},
        {"unknown transfer coding", post("Transfer-Encoding: gzip, chunked\r\n"), false, 501,
         "Not Implemented", "unsupported_transfer_encoding"},
        {"chunk size not hexadecimal", post("Transfer-Encoding: chunked\r\n", "zz\r\n"), false, 400,
         "Bad Request", "invalid_chunk"},
        {"chunk longer than its size",
         post("Transfer-Encoding: chunked\r\n", "2\r\n{\"name\"\r\n0\r\n\r\n"), false, 400,
         "Bad Request", "invalid_chunk"},
        {"chunk size overflowing", post("Transfer-Encoding: chunked\r\n", "1ffffffffffffffff\r\n"),
         false, 400, "Bad Request", "invalid_chunk"},
        {"declared body over 1 MiB", post("Content-Length: 2097152\r\n"), false, 413,
         "Content Too Large", "payload_too_large"},
        {"chunked body over 1 MiB",
         post("Transfer-Encoding: chunked\r\n", "100001\r\n" + std::string(0x100001, 'x')), false,
         413, "Content Too Large", "payload_too_large"},
        {"a 100 KB header field",
         "GET /health HTTP/1.1\r\n" + kHost + "X-Big: " + std::string(100'000, 'a') + "\r\n\r\n",
         false, 431, "Request Header Fields Too Large", "headers_too_large"},
        {"5,000 header fields", "GET /health HTTP/1.1\r\n" + kHost + manyFields(5000, 1) + "\r\n",
         false, 431, "Request Header Fields Too Large", "headers_too_large"},
        {"a head over 64 KiB in 80 fields",
         "GET /health HTTP/1.1\r\n" + kHost + manyFields(80, 1000) + "\r\n", false, 431,
         "Request Header Fields Too Large", "headers_too_large"},
        {"a 300-byte field name",
         "GET /health HTTP/1.1\r\n" + kHost + std::string(300, 'n') + ": v\r\n\r\n", false, 431,
         "Request Header Fields Too Large", "headers_too_large"},
        {"a 10 KB request line",
         "GET /" + std::string(10'000, 'a') + " HTTP/1.1\r\n" + kHost + "\r\n", false, 414,
         "URI Too Long", "uri_too_long"},
        {"a request line that never ends", "GET /" + std::string(20'000, 'a'), false, 414,
         "URI Too Long", "uri_too_long"},
        {"a header line without a colon", "GET /health HTTP/1.1\r\n" + kHost + "Nonsense\r\n\r\n",
         false, 400, "Bad Request", "malformed_request"},
        {"a method that is not a token", "G(T /health HTTP/1.1\r\n" + kHost + "\r\n", false, 400,
         "Bad Request", "malformed_request"},
        {"binary noise (a TLS hello)", std::string("\x16\x03\x01\x00\xa5\x01\x00\r\n\r\n", 11),
         false, 400, "Bad Request", "malformed_request"},
        {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", false, 505,
         "HTTP Version Not Supported", "http_version_not_supported"},
    };

    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        RawConnection connection(server_->port());
        connection.send(c.bytes); // may stop early: the server can answer before reading all
        if (c.halfClose) connection.shutdownWrite();
        auto response = connection.read();
        ASSERT_TRUE(response) << "no answer; got: " << connection.pending();
        EXPECT_EQ(response->status, c.status) << response->body;
        EXPECT_EQ(response->reason, c.reason);
        expectErrorShape(*response, c.status, c.code);
        EXPECT_EQ(response->header("Connection"), "close");
        EXPECT_TRUE(connection.closedByServer());
    }

    auto http = server_->client();
    EXPECT_EQ(http.get("/api/projects").header("X-Total-Count"), "0") << "nothing was created";
    EXPECT_EQ(http.get("/health").status, 200);
}

TEST_F(HttpFramingTest, StatusLinesCarryTheirReasonPhrase) {
    auto project = server_->client().createProject();
    const std::vector<std::tuple<std::string, int, std::string>> cases = {
        {"GET /health HTTP/1.1\r\n" + kHost + "\r\n", 200, "OK"},
        {post("Content-Length: 12\r\n", R"({"name":"x"})"), 201, "Created"},
        {"GET /api/tasks/task_none HTTP/1.1\r\n" + kHost + "\r\n", 404, "Not Found"},
        {"DELETE /api/projects HTTP/1.1\r\n" + kHost + "\r\n", 405, "Method Not Allowed"},
        {"PATCH /api/projects/" + project + " HTTP/1.1\r\n" + kHost +
             "If-Match: 7\r\nContent-Length: 2\r\n\r\n{}",
         412, "Precondition Failed"},
        {"GET /health HTTP/1.1\r\nHost: evil.example\r\n\r\n", 403, "Forbidden"},
        {post("Content-Length: 4\r\n", "{bad"), 400, "Bad Request"},
    };
    RawConnection connection(server_->port()); // one keep-alive connection for them all
    for (const auto& [bytes, status, reason] : cases) {
        SCOPED_TRACE(reason);
        ASSERT_TRUE(connection.send(bytes));
        auto response = connection.read();
        ASSERT_TRUE(response);
        EXPECT_EQ(response->status, status) << response->body;
        EXPECT_EQ(response->reason, reason);
        EXPECT_EQ(response->header("Connection"), "keep-alive");
    }
}

TEST_F(HttpFramingTest, ChunkedBodiesAreReadWhateverTheirSplit) {
    RawConnection connection(server_->port());
    ASSERT_TRUE(connection.send(post("Transfer-Encoding: chunked\r\n",
                                     "5;ext=1\r\n{\"nam\r\n8\r\ne\":\"chun\r\n"
                                     "4\r\nked\"\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n")));
    auto response = connection.read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 201) << response->body;
    EXPECT_EQ(response->object()->getValue<std::string>("name"), "chunked");
}

TEST_F(HttpFramingTest, ExpectContinueGetsAnInterimResponseBeforeTheBody) {
    RawConnection connection(server_->port());
    ASSERT_TRUE(connection.send(post("Content-Length: 12\r\nExpect: 100-continue\r\n")));
    auto interim = connection.read();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    EXPECT_EQ(interim->reason, "Continue");
    ASSERT_TRUE(connection.send(R"({"name":"x"})"));
    auto response = connection.read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 201) << response->body;
}

TEST_F(HttpFramingTest, ExpectContinueWithAnOversizedBodyIsRefusedBeforeItIsSent) {
    RawConnection connection(server_->port());
    ASSERT_TRUE(connection.send(post("Content-Length: 5000000\r\nExpect: 100-continue\r\n")));
    auto response = connection.read();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
    expectErrorShape(*response, 413, "payload_too_large");
}

TEST_F(HttpFramingTest, AnOversizedBodyIsAnsweredWhileTheClientIsStillSending) {
    // The client writes its whole 1.1 MB body before reading; the server must keep reading
    // (and dropping) it after the 413, or the client would see a reset instead of the answer.
    RawConnection connection(server_->port());
    const std::string body(1'100'000, 'x');
    connection.send(post("Content-Length: " + std::to_string(body.size()) + "\r\n", body));
    auto response = connection.read();
    ASSERT_TRUE(response) << "no answer; got: " << connection.pending();
    EXPECT_EQ(response->status, 413);
    expectErrorShape(*response, 413, "payload_too_large");
}
