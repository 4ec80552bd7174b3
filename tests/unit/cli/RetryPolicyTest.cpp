#include "RetryPolicy.h"

#include "CliError.h"
#include "FakeClock.h"

#include <gtest/gtest.h>
#include <map>
#include <string>

namespace maestro::cli {
namespace {

using namespace std::chrono_literals;

// Every attempt fails: how many the loop makes before it gives up.
int attemptsUntilGivingUp(RetryLoop& loop) {
    int attempts = 0;
    while (loop.beginAttempt()) {
        ++attempts;
        if (!loop.waitBeforeRetry()) break;
    }
    return attempts;
}

std::function<const char*(const char*)> env(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const char* name) -> const char* {
        auto it = values.find(name);
        return it == values.end() ? nullptr : it->second.c_str();
    };
}

TEST(RetrySettings, DefaultsWhenNothingIsSet) {
    auto settings = RetrySettings::fromEnvironment(env({}));
    EXPECT_EQ(settings.retries, 10);
    EXPECT_EQ(settings.baseDelay, 200ms);
    EXPECT_EQ(settings.deadline, 30000ms);
    EXPECT_EQ(settings.attemptTimeout, 10000ms);
}

TEST(RetrySettings, ReadsTheVariables) {
    auto settings = RetrySettings::fromEnvironment(env({{"MAESTRO_RETRIES", "3"},
                                                        {"MAESTRO_RETRY_DELAY", "50"},
                                                        {"MAESTRO_RETRY_DEADLINE", "1000"},
                                                        {"MAESTRO_TIMEOUT", "250"}}));
    EXPECT_EQ(settings.retries, 3);
    EXPECT_EQ(settings.baseDelay, 50ms);
    EXPECT_EQ(settings.deadline, 1000ms);
    EXPECT_EQ(settings.attemptTimeout, 250ms);
}

TEST(RetrySettings, RaisesTheCeilingForALongFirstDelay) {
    auto settings = RetrySettings::fromEnvironment(env({{"MAESTRO_RETRY_DELAY", "8000"}}));
    EXPECT_EQ(settings.maxDelay, 8000ms);
}

TEST(RetrySettings, MalformedValuesAreUsageErrors) {
    for (const char* bad : {"abc", "-1", "1.5", "12x", "5000"}) {
        try {
            RetrySettings::fromEnvironment(env({{"MAESTRO_RETRIES", bad}}));
            FAIL() << bad;
        } catch (const CliError& e) {
            EXPECT_EQ(e.exitCode(), kExitUsage) << bad;
            EXPECT_NE(std::string(e.what()).find("MAESTRO_RETRIES"), std::string::npos);
        }
    }
    EXPECT_THROW(RetrySettings::fromEnvironment(env({{"MAESTRO_TIMEOUT", "0"}})), CliError);
}

TEST(RetrySettings, EmptyMeansUnset) {
    EXPECT_EQ(RetrySettings::fromEnvironment(env({{"MAESTRO_RETRIES", ""}})).retries, 10);
}

TEST(RetryableStatus, OnlyTooManyRequestsAndGatewayErrors) {
    for (int status : {429, 502, 503, 504})
        EXPECT_TRUE(isRetryableStatus(status)) << status;
    for (int status : {200, 201, 400, 401, 403, 404, 409, 412, 413, 422, 500, 501})
        EXPECT_FALSE(isRetryableStatus(status)) << status;
}

TEST(Backoff, FullJitterUnderAnExponentialCeiling) {
    RetrySettings settings;
    settings.baseDelay = 100ms;
    settings.maxDelay = 1000ms;
    EXPECT_EQ(backoffDelay(settings, 1, 0.5), 50ms);
    EXPECT_EQ(backoffDelay(settings, 2, 0.5), 100ms);
    EXPECT_EQ(backoffDelay(settings, 3, 0.5), 200ms);
    EXPECT_EQ(backoffDelay(settings, 4, 0.999), 799ms);
    EXPECT_EQ(backoffDelay(settings, 5, 1.0), 1000ms); // capped
    EXPECT_EQ(backoffDelay(settings, 60, 1.0), 1000ms);
    EXPECT_EQ(backoffDelay(settings, 3, 0.0), 0ms); // full jitter reaches zero
}

TEST(Backoff, EveryDrawStaysInsideTheCeiling) {
    RetrySettings settings;
    settings.baseDelay = 200ms;
    for (int retry = 1; retry < 12; ++retry) {
        for (double draw = 0.0; draw < 1.0; draw += 0.125) {
            auto delay = backoffDelay(settings, retry, draw);
            EXPECT_GE(delay, 0ms);
            EXPECT_LE(delay, settings.maxDelay);
        }
    }
}

TEST(RetryAfter, DeltaSecondsAndHttpDates) {
    const auto now =
        std::chrono::system_clock::from_time_t(784111777); // Sun, 06 Nov 1994 08:49:37 GMT
    EXPECT_EQ(parseRetryAfter("2", now), 2000ms);
    EXPECT_EQ(parseRetryAfter(" 0 ", now), 0ms);
    EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:40 GMT", now), 3000ms);
    EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", now), 0ms); // in the past
    EXPECT_FALSE(parseRetryAfter("soon", now));
    EXPECT_FALSE(parseRetryAfter("", now));
    EXPECT_FALSE(parseRetryAfter("-5", now));
}

TEST(RetryLoop, WaitsTheBackoffBetweenAttempts) {
    RetrySettings settings;
    settings.retries = 3;
    settings.baseDelay = 100ms;
    test::FakeClock fake;
    auto clock = fake.clock();
    RetryLoop loop(settings, clock);
    const int attempts = attemptsUntilGivingUp(loop);
    EXPECT_EQ(attempts, 4);
    ASSERT_EQ(fake.sleeps.size(), 3u);
    EXPECT_EQ(fake.sleeps[0], 50ms);
    EXPECT_EQ(fake.sleeps[1], 100ms);
    EXPECT_EQ(fake.sleeps[2], 200ms);
}

TEST(RetryLoop, NoRetriesMeansOneAttempt) {
    RetrySettings settings;
    settings.retries = 0;
    test::FakeClock fake;
    auto clock = fake.clock();
    RetryLoop loop(settings, clock);
    ASSERT_TRUE(loop.beginAttempt());
    EXPECT_FALSE(loop.waitBeforeRetry());
    EXPECT_TRUE(fake.sleeps.empty());
}

TEST(RetryLoop, TheLastWaitEndsAtTheDeadline) {
    RetrySettings settings;
    settings.retries = 100;
    settings.baseDelay = 400ms;
    settings.deadline = 1000ms;
    test::FakeClock fake;
    fake.draw = 0.99;
    auto clock = fake.clock();
    RetryLoop loop(settings, clock);
    const int attempts = attemptsUntilGivingUp(loop);
    // 396 ms, then 604 of 792 ms (cut at the deadline), then a final attempt at 1000 ms.
    EXPECT_EQ(attempts, 3);
    EXPECT_EQ(loop.elapsed(), 1000ms);
}

TEST(RetryLoop, AttemptTimeoutIsCutToTheDeadline) {
    RetrySettings settings;
    settings.deadline = 3000ms;
    settings.attemptTimeout = 10000ms;
    test::FakeClock fake;
    auto clock = fake.clock();
    RetryLoop loop(settings, clock);
    EXPECT_EQ(loop.beginAttempt(), 3000ms);
    fake.now += 2500ms;
    loop.waitBeforeRetry();
    auto timeout = loop.beginAttempt();
    ASSERT_TRUE(timeout);
    EXPECT_LE(*timeout, 500ms);
    EXPECT_GE(*timeout, 1ms);
}

TEST(RetryLoop, HonoursRetryAfter) {
    RetrySettings settings;
    settings.baseDelay = 10ms;
    test::FakeClock fake;
    auto clock = fake.clock();
    RetryLoop loop(settings, clock);
    loop.beginAttempt();
    EXPECT_TRUE(loop.waitBeforeRetry(2000ms));
    EXPECT_EQ(fake.sleeps.back(), 2000ms);
}

TEST(RetryLoop, GivesUpWhenRetryAfterEndsPastTheDeadline) {
    RetrySettings settings;
    settings.deadline = 1000ms;
    test::FakeClock fake;
    auto clock = fake.clock();
    RetryLoop loop(settings, clock);
    loop.beginAttempt();
    EXPECT_FALSE(loop.waitBeforeRetry(5000ms));
    EXPECT_TRUE(fake.sleeps.empty());
}

} // namespace
} // namespace maestro::cli
