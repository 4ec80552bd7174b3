#pragma once

#include "Http.h"
#include "RetryPolicy.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace maestro::cli {

// The Maestro API as the commands see it: one call in, one answer out, with the retry policy
// (RetryPolicy.h; docs/cli.md, "Retries and idempotency") in between.
//
// - Connection failures, timeouts, 502/503/504 and 429 are retried with exponential backoff and
//   full jitter until the retries or the deadline run out; a 429/503 Retry-After is honoured.
// - Every create (post()) carries an Idempotency-Key made once per call and reused by its
//   retries, so a create whose answer was lost is not done twice. The keys of one invocation share
//   a random prefix and differ by a counter, since the server ties a key to one method, path and
//   body.
// - A 4xx is an answer, never retried.
class ApiClient {
public:
    struct Options {
        RetrySettings retry;
        RetryClock clock = RetryClock::real();
        std::optional<std::string> token;             // sent as Authorization: Bearer
        std::function<void(const std::string&)> note; // one line per retry, for -v
    };

    ApiClient(ServerUrl url, std::unique_ptr<Transport> transport, Options options);

    // 2xx answers. Anything else throws CliError: 65 for a 4xx (the server's error document),
    // 69 when the server stayed unreachable, 70 for another 5xx.
    HttpResponse get(std::string_view path);
    // A create: sent with an Idempotency-Key.
    HttpResponse post(std::string_view path, std::string body);
    // A POST that creates nothing (stop, reorder): no key, since repeating it is harmless or
    // refused on its own terms.
    HttpResponse postAction(std::string_view path, std::string body);
    HttpResponse patch(std::string_view path, std::string body);
    // A DELETE retried after a lost answer may find the resource already gone: that 404 is
    // reported as the success the first attempt had.
    HttpResponse del(std::string_view path);

    // Whatever status the server answers (for skills, which judge it themselves); throws
    // CliError only when no answer could be had.
    HttpResponse exchange(std::string_view method, std::string_view path, std::string body);
    // The same with headers of the caller's and no Idempotency-Key: for a protocol that has
    // its own headers (the MCP bridge).
    HttpResponse exchange(std::string_view method, std::string_view path, std::string body,
                          HeaderList headers);

    const ServerUrl& url() const noexcept { return url_; }
    // Attempts made by the last call.
    int lastAttempts() const noexcept { return lastAttempts_; }
    // The Idempotency-Key prefix of this invocation.
    const std::string& keyPrefix() const noexcept { return keyPrefix_; }

private:
    struct Outcome {
        HttpResponse response;
        bool afterLostAnswer = false; // an earlier attempt may have reached the server
    };
    Outcome send(std::string_view method, std::string_view path, std::string body,
                 bool idempotencyKey, HeaderList headers = {});
    HttpResponse checked(Outcome outcome);

    ServerUrl url_;
    std::unique_ptr<Transport> transport_;
    Options options_;
    std::string keyPrefix_;
    int keyCounter_ = 0;
    int lastAttempts_ = 0;
};

// A fresh random Idempotency-Key prefix (128 bits, hex).
std::string newKeyPrefix();

} // namespace maestro::cli
