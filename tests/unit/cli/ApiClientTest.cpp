#include "ApiClient.h"

#include "CliError.h"
#include "FakeClock.h"

#include <deque>
#include <gtest/gtest.h>
#include <variant>

namespace maestro::cli {
namespace {

using namespace std::chrono_literals;

// A transport that plays a script: each send takes the next answer or failure, and every
// request it saw is kept.
class ScriptedTransport : public Transport {
public:
    using Step = std::variant<HttpResponse, TransportError>;
    std::deque<Step> script;
    std::vector<HttpRequest> requests;

    HttpResponse send(const HttpRequest& request, Millis) override {
        requests.push_back(request);
        if (script.empty()) throw TransportError(TransportFailure::Refused, "script ended");
        Step step = script.front();
        script.pop_front();
        if (auto* error = std::get_if<TransportError>(&step)) throw *error;
        return std::get<HttpResponse>(step);
    }
};

HttpResponse answer(int status, std::string body = "{}", HeaderList headers = {}) {
    return HttpResponse{status, std::move(body), std::move(headers)};
}

TransportError refused() {
    return TransportError(TransportFailure::Refused, "connection refused");
}
TransportError reset() {
    return TransportError(TransportFailure::Reset, "connection reset");
}

class ApiClientTest : public ::testing::Test {
protected:
    ApiClient makeClient(int retries = 5) {
        auto transport = std::make_unique<ScriptedTransport>();
        transport_ = transport.get();
        ApiClient::Options options;
        options.retry.retries = retries;
        options.retry.baseDelay = 100ms;
        options.retry.deadline = 10000ms;
        options.clock = clock_.clock();
        options.note = [this](const std::string& line) { notes_.push_back(line); };
        return ApiClient(ServerUrl::parse("http://127.0.0.1:3000/base"), std::move(transport),
                         std::move(options));
    }

    std::string header(const HttpRequest& request, const std::string& name) {
        for (const auto& [key, value] : request.headers)
            if (key == name) return value;
        return {};
    }

    test::FakeClock clock_;
    ScriptedTransport* transport_ = nullptr;
    std::vector<std::string> notes_;
};

TEST_F(ApiClientTest, ReturnsASuccessAtOnce) {
    auto client = makeClient();
    transport_->script = {answer(200, R"({"id":"t"})")};
    auto response = client.get("/api/tasks/t");
    EXPECT_EQ(response.body, R"({"id":"t"})");
    ASSERT_EQ(transport_->requests.size(), 1u);
    EXPECT_EQ(transport_->requests[0].target, "/base/api/tasks/t");
    EXPECT_TRUE(header(transport_->requests[0], "Idempotency-Key").empty());
    EXPECT_TRUE(clock_.sleeps.empty());
}

TEST_F(ApiClientTest, RetriesRefusedAndResetConnections) {
    auto client = makeClient();
    transport_->script = {refused(), reset(), answer(200)};
    client.get("/api/status");
    EXPECT_EQ(transport_->requests.size(), 3u);
    EXPECT_EQ(client.lastAttempts(), 3);
    EXPECT_EQ(clock_.sleeps.size(), 2u);
    EXPECT_EQ(notes_.size(), 2u);
}

TEST_F(ApiClientTest, RetriesGatewayErrorsAndTooManyRequests) {
    auto client = makeClient();
    transport_->script = {answer(502), answer(503), answer(504), answer(429), answer(200)};
    client.get("/api/status");
    EXPECT_EQ(transport_->requests.size(), 5u);
}

TEST_F(ApiClientTest, NeverRetriesAClientError) {
    auto client = makeClient();
    const std::string error =
        R"({"error":true,"statusCode":404,"code":"task_not_found","message":"Task not found: t","details":{}})";
    transport_->script = {answer(404, error), answer(200)};
    try {
        client.get("/api/tasks/t");
        FAIL();
    } catch (const CliError& e) {
        EXPECT_EQ(e.exitCode(), kExitRefused);
        EXPECT_EQ(e.code(), "task_not_found");
        EXPECT_EQ(e.document(), error);
    }
    EXPECT_EQ(transport_->requests.size(), 1u);
}

TEST_F(ApiClientTest, AServerErrorIsInternal) {
    auto client = makeClient();
    transport_->script = {answer(
        500,
        R"({"error":true,"statusCode":500,"code":"internal_error","message":"boom","details":{}})")};
    try {
        client.get("/api/tasks/t");
        FAIL();
    } catch (const CliError& e) {
        EXPECT_EQ(e.exitCode(), kExitInternal);
        EXPECT_EQ(e.statusCode(), 500);
    }
    EXPECT_EQ(transport_->requests.size(), 1u);
}

TEST_F(ApiClientTest, PersistentGatewayErrorsAreUnreachable) {
    auto client = makeClient(2);
    transport_->script = {answer(503), answer(503), answer(503, "<html>down</html>")};
    try {
        client.get("/api/status");
        FAIL();
    } catch (const CliError& e) {
        EXPECT_EQ(e.exitCode(), kExitUnavailable);
        EXPECT_EQ(e.statusCode(), 503);
        EXPECT_NE(e.document().find("\"error\":true"), std::string::npos);
    }
    EXPECT_EQ(transport_->requests.size(), 3u);
}

TEST_F(ApiClientTest, GivesUpWithTheUnreachableDocument) {
    auto client = makeClient(3);
    transport_->script = {refused(), refused(), refused(), refused()};
    try {
        client.get("/api/status");
        FAIL();
    } catch (const CliError& e) {
        EXPECT_EQ(e.exitCode(), kExitUnavailable);
        EXPECT_EQ(e.code(), "server_unreachable");
        EXPECT_NE(e.document().find(R"("attempts":4)"), std::string::npos);
        EXPECT_NE(e.document().find(R"("server":"http://127.0.0.1:3000/base")"), std::string::npos);
        EXPECT_NE(e.document().find(R"("lastError":"connection refused")"), std::string::npos);
    }
    EXPECT_EQ(transport_->requests.size(), 4u);
}

TEST_F(ApiClientTest, HonoursRetryAfter) {
    auto client = makeClient();
    transport_->script = {answer(429, "{}", {{"Retry-After", "3"}}), answer(200)};
    client.get("/api/status");
    ASSERT_EQ(clock_.sleeps.size(), 1u);
    EXPECT_EQ(clock_.sleeps[0], 3000ms);
}

TEST_F(ApiClientTest, APostKeepsItsIdempotencyKeyAcrossRetries) {
    auto client = makeClient();
    transport_->script = {reset(), answer(502), answer(201, R"({"id":"t"})")};
    client.post("/api/tasks", R"({"title":"x"})");
    ASSERT_EQ(transport_->requests.size(), 3u);
    const auto key = header(transport_->requests[0], "Idempotency-Key");
    EXPECT_FALSE(key.empty());
    for (const auto& request : transport_->requests) {
        EXPECT_EQ(header(request, "Idempotency-Key"), key);
        EXPECT_EQ(request.body, R"({"title":"x"})");
        EXPECT_EQ(request.method, "POST");
    }
}

TEST_F(ApiClientTest, EachPostOfAnInvocationHasItsOwnKey) {
    auto client = makeClient();
    transport_->script = {answer(201), answer(201)};
    client.post("/api/tasks", "{}");
    client.post("/api/tasks/t/timeline", "{}");
    const auto first = header(transport_->requests[0], "Idempotency-Key");
    const auto second = header(transport_->requests[1], "Idempotency-Key");
    EXPECT_NE(first, second);
    EXPECT_EQ(first.substr(0, client.keyPrefix().size()), client.keyPrefix());
    EXPECT_EQ(second.substr(0, client.keyPrefix().size()), client.keyPrefix());
}

TEST_F(ApiClientTest, ActionsAndOtherMethodsCarryNoKey) {
    auto client = makeClient();
    transport_->script = {answer(200), answer(200), answer(200)};
    client.postAction("/api/sessions/s/stop", "{}");
    client.patch("/api/tasks/t", "{}");
    client.del("/api/tasks/t");
    for (const auto& request : transport_->requests)
        EXPECT_TRUE(header(request, "Idempotency-Key").empty()) << request.method;
}

TEST_F(ApiClientTest, InvocationsHaveDifferentKeyPrefixes) {
    EXPECT_NE(newKeyPrefix(), newKeyPrefix());
    EXPECT_EQ(newKeyPrefix().size(), 4u + 32u);
}

TEST_F(ApiClientTest, ADeleteWhoseAnswerWasLostCountsItsLater404AsDone) {
    auto client = makeClient();
    transport_->script = {reset(), answer(404, R"({"error":true,"message":"gone"})")};
    auto response = client.del("/api/tasks/task_1");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, R"({"success":true,"id":"task_1"})");
}

TEST_F(ApiClientTest, ADeleteOfAMissingResourceIsStillRefused) {
    auto client = makeClient();
    transport_->script = {refused(), answer(404, R"({"error":true,"message":"gone"})")};
    EXPECT_THROW(client.del("/api/tasks/task_1"), CliError); // refused: it never arrived
}

TEST_F(ApiClientTest, ExchangeReturnsAnyStatus) {
    auto client = makeClient();
    transport_->script = {answer(404, "nope")};
    auto response = client.exchange("GET", "/api/x", "");
    EXPECT_EQ(response.status, 404);
    EXPECT_EQ(response.body, "nope");
}

TEST_F(ApiClientTest, SendsTheBearerToken) {
    auto transport = std::make_unique<ScriptedTransport>();
    auto* raw = transport.get();
    raw->script = {answer(200)};
    ApiClient::Options options;
    options.token = "secret";
    options.clock = clock_.clock();
    ApiClient client(ServerUrl::parse("http://localhost:1"), std::move(transport), options);
    client.get("/api/status");
    EXPECT_EQ(header(raw->requests[0], "Authorization"), "Bearer secret");
}

TEST(ServerUrl, ParsesHostPortAndPrefix) {
    auto url = ServerUrl::parse("http://example.org:8080/maestro/");
    EXPECT_EQ(url.host, "example.org");
    EXPECT_EQ(url.port, 8080);
    EXPECT_EQ(url.basePath, "/maestro");
    EXPECT_EQ(url.text, "http://example.org:8080/maestro");
    EXPECT_FALSE(url.isLoopback());
    EXPECT_EQ(ServerUrl::parse("http://localhost").port, 80);
    EXPECT_TRUE(ServerUrl::parse("http://127.0.0.1:3000").isLoopback());
}

TEST(ServerUrl, RefusesWhatItCannotSpeak) {
    for (const char* bad : {"https://x", "ftp://x", "localhost:3000", "http://", "http://x/?a=1"}) {
        try {
            ServerUrl::parse(bad);
            FAIL() << bad;
        } catch (const CliError& e) {
            EXPECT_EQ(e.exitCode(), kExitUsage) << bad;
        }
    }
}

TEST(Query, EncodesValuesAndSkipsUnset) {
    Query query;
    query.add("a", "x y&z").addOptional("b", std::nullopt).addOptional("c", std::string("1"));
    EXPECT_EQ(query.str(), "?a=x%20y%26z&c=1");
    EXPECT_EQ(Query().str(), "");
    EXPECT_EQ(pathSegment("a/b c"), "a%2Fb%20c");
}

} // namespace
} // namespace maestro::cli
