// maestro events [--since N] [--limit N] | maestro events --follow [--since N] [--count N]
#include "WsConnection.h"
#include "commands/Commands.h"
#include "commands/Render.h"
#include "json/Writer.h"

#include <CLI/App.hpp>
#include <memory>

namespace maestro::cli::commands {

namespace {

struct EventsOptions {
    bool follow = false;
    long long since = -1;
    int limit = 0;
    long long count = 0;
};

Result listEvents(const EventsOptions& o, Invocation& inv) {
    Query query;
    if (o.since >= 0) query.add("since", std::to_string(o.since));
    if (o.limit > 0) query.add("limit", std::to_string(o.limit));
    query.addOptional("projectId", inv.optionalProject());
    auto body = inv.api().get("/api/events" + query.str()).body;
    auto events = json::parseArray(body);
    std::vector<std::string> seqs;
    for (std::size_t i = 0; i < json::size(events); ++i)
        seqs.push_back(json::text(json::objectAt(events, i), "seq"));
    return Result{body,
                  [events](TextOut& out) {
                      if (json::size(events) == 0) return out.line("No events.");
                      for (std::size_t i = 0; i < json::size(events); ++i)
                          render::eventLine(out, json::objectAt(events, i));
                  },
                  seqs};
}

// Streams events as they happen. After a lost connection it subscribes again with `since` set
// to the last event it printed, so the server replays what was missed: nothing is lost or
// printed twice.
Result followEvents(const EventsOptions& o, Invocation& inv) {
    std::optional<std::int64_t> last;
    if (o.since >= 0) last = o.since;
    long long printed = 0;
    Output& output = inv.output();

    FollowOptions follow{inv.server(), inv.token(), inv.retry(),
                         [&output](const std::string& line) { output.note(line); }};
    // A connection carries every event until the subscription is in place; those early ones are
    // sent again by the replay that follows "subscribed", in order, so they are skipped here
    // (printing one would make the replay's earlier events look like repeats).
    bool subscribed = false;
    const auto subscribe = [&](WsConnection& connection) {
        subscribed = false;
        maestro::json::Writer message;
        message.beginObject().field("type", "subscribe");
        if (last) message.field("since", *last);
        if (!inv.project().empty()) message.field("projectId", inv.project());
        connection.send(message.endObject().take());
    };
    const auto handle = [&](const std::string& text) {
        auto message = serverMessage(text);
        const auto type = json::text(message, "type");
        if (type == "subscribed") {
            subscribed = true;
            // Live only: start after what the server had when we subscribed.
            if (!last) last = json::integer(message, "lastSeq").value_or(0);
            return true;
        }
        if (!subscribed) return true;
        auto seq = json::integer(message, "seq");
        if (!seq || (last && *seq <= *last)) return true; // connected, pong, or a repeat
        last = *seq;
        if (!output.streamItem(text, [&message](TextOut& out) { render::eventLine(out, message); }))
            return false;
        return o.count == 0 || ++printed < o.count;
    };
    followWebSocket(follow, subscribe, handle);
    Result result;
    result.streamed = true;
    return result;
}

Result runEvents(const EventsOptions& o, Invocation& inv) {
    if (!o.follow && o.count > 0) throw CliError::usage("--count goes with --follow");
    if (o.follow && o.limit > 0)
        throw CliError::usage("--limit is for the list; use --count with --follow");
    return o.follow ? followEvents(o, inv) : listEvents(o, inv);
}

} // namespace

void setupEvents(CLI::App& app, CommandTable& table) {
    auto o = std::make_shared<EventsOptions>();
    auto* events =
        table.add(app, "events",
                  "List the event log, or follow it live with --follow (JSON lines with --json)",
                  kServer, [o](Invocation& inv) { return runEvents(*o, inv); });
    events->add_flag("-f,--follow", o->follow,
                     "Stream events as they happen; resumes after a reconnect");
    events->add_option("--since", o->since, "Only events after this sequence number")
        ->type_name("SEQ")
        ->check(CLI::NonNegativeNumber);
    events->add_option("--limit", o->limit, "At most N events (server maximum 1000)")
        ->check(CLI::Range(1, 1000));
    events->add_option("--count", o->count, "With --follow: stop after N events")
        ->check(CLI::PositiveNumber);
}

} // namespace maestro::cli::commands
