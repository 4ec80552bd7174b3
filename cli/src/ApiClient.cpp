#include "ApiClient.h"

#include "CliError.h"
#include "json/Writer.h"

#include <random>

namespace maestro::cli {

std::string newKeyPrefix() {
    std::random_device device;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string key = "cli-";
    for (int i = 0; i < 8; ++i) {
        auto word = device();
        for (int nibble = 0; nibble < 4; ++nibble, word >>= 4)
            key += kHex[word & 0xf];
    }
    return key;
}

ApiClient::ApiClient(ServerUrl url, std::unique_ptr<Transport> transport, Options options)
    : url_(std::move(url)), transport_(std::move(transport)), options_(std::move(options)),
      keyPrefix_(newKeyPrefix()) {}

ApiClient::Outcome ApiClient::send(std::string_view method, std::string_view path, std::string body,
                                   bool idempotencyKey, HeaderList headers) {
    HttpRequest request{std::string(method), url_.basePath + std::string(path), std::move(body),
                        std::move(headers)};
    if (idempotencyKey)
        request.headers.emplace_back("Idempotency-Key",
                                     keyPrefix_ + "-" + std::to_string(++keyCounter_));
    if (options_.token) request.headers.emplace_back("Authorization", "Bearer " + *options_.token);

    RetryLoop loop(options_.retry, options_.clock);
    bool lostAnswer = false;
    std::string lastProblem;
    const auto note = [this, &request, &loop](const std::string& what) {
        if (options_.note)
            options_.note(request.method + " " + request.target + ": " + what + " (attempt " +
                          std::to_string(loop.attempts()) + ")");
    };
    while (auto timeout = loop.beginAttempt()) {
        try {
            HttpResponse response = transport_->send(request, *timeout);
            lastAttempts_ = loop.attempts();
            if (!isRetryableStatus(response.status)) return {std::move(response), lostAnswer};
            std::optional<Millis> retryAfter;
            if (auto header = response.header("Retry-After"))
                retryAfter = parseRetryAfter(*header, std::chrono::system_clock::now());
            lastProblem = "HTTP " + std::to_string(response.status);
            note(lastProblem);
            if (!loop.waitBeforeRetry(retryAfter)) return {std::move(response), lostAnswer};
        } catch (const TransportError& error) {
            lostAnswer = lostAnswer || error.mayHaveArrived();
            lastProblem = error.what();
            note(lastProblem);
            if (!loop.waitBeforeRetry()) break;
        }
    }
    lastAttempts_ = loop.attempts();
    throw unreachableError(url_, loop.attempts(), loop.elapsed(), lastProblem);
}

HttpResponse ApiClient::checked(Outcome outcome) {
    auto& response = outcome.response;
    if (response.status >= 200 && response.status < 300) return std::move(response);
    if (response.status == 502 || response.status == 503 || response.status == 504)
        throw CliError::fromResponse(kExitUnavailable, response.status, response.body);
    if (response.status >= 400 && response.status < 500)
        throw CliError::fromResponse(kExitRefused, response.status, response.body);
    throw CliError::fromResponse(kExitInternal, response.status, response.body);
}

HttpResponse ApiClient::get(std::string_view path) {
    return checked(send("GET", path, {}, false));
}

HttpResponse ApiClient::post(std::string_view path, std::string body) {
    return checked(send("POST", path, std::move(body), true));
}

HttpResponse ApiClient::postAction(std::string_view path, std::string body) {
    return checked(send("POST", path, std::move(body), false));
}

HttpResponse ApiClient::patch(std::string_view path, std::string body) {
    return checked(send("PATCH", path, std::move(body), false));
}

HttpResponse ApiClient::del(std::string_view path) {
    Outcome outcome = send("DELETE", path, {}, false);
    if (outcome.response.status == 404 && outcome.afterLostAnswer) {
        const auto slash = path.rfind('/');
        maestro::json::Writer out;
        out.beginObject().field("success", true).field("id", path.substr(slash + 1)).endObject();
        return HttpResponse{200, out.take(), {}};
    }
    return checked(std::move(outcome));
}

HttpResponse ApiClient::exchange(std::string_view method, std::string_view path, std::string body) {
    return send(method, path, std::move(body), method == "POST").response;
}

HttpResponse ApiClient::exchange(std::string_view method, std::string_view path, std::string body,
                                 HeaderList headers) {
    return send(method, path, std::move(body), false, std::move(headers)).response;
}

} // namespace maestro::cli
