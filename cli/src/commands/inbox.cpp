// maestro inbox [--follow]
//
// The attention inbox (docs/cli.md, "inbox"): the sessions that wait for a person, stalled,
// failed or ended with work to review, and the blocked tasks. --follow prints each item as it
// appears, until interrupted. Answering is `maestro session input SESSION TEXT`.
#include "Json.h"
#include "WsConnection.h"
#include "commands/Commands.h"
#include "json/Writer.h"

#include <CLI/App.hpp>
#include <memory>
#include <set>

namespace maestro::cli::commands {

namespace {

struct InboxOptions {
    bool follow = false;
};

std::string attentionPath(Invocation& inv) {
    Query query;
    query.addOptional("projectId", inv.optionalProject());
    return "/api/attention" + query.str();
}

// What the item is about: its session or its task.
std::string subjectOf(const json::Object& item) {
    auto session = json::text(item, "sessionId");
    return session.empty() ? json::text(item, "taskId") : session;
}

void itemLine(TextOut& out, const json::Object& item) {
    out.line(json::formatTime(json::integer(item, "since")) + "  " +
             out.style().status(json::text(item, "kind")) + "  " + subjectOf(item) + "  " +
             json::text(item, "summary"));
}

Result listInbox(Invocation& inv) {
    auto body = inv.api().get(attentionPath(inv)).body;
    auto items = json::parseArray(body);
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < json::size(items); ++i)
        ids.push_back(json::text(json::objectAt(items, i), "id"));
    return Result{body,
                  [items](TextOut& out) {
                      if (json::size(items) == 0) return out.line("Nothing needs you.");
                      std::vector<std::vector<std::string>> rows;
                      for (std::size_t i = 0; i < json::size(items); ++i) {
                          auto item = json::objectAt(items, i);
                          rows.push_back({json::text(item, "kind"), subjectOf(item),
                                          json::formatTime(json::integer(item, "since")),
                                          json::text(item, "summary")});
                      }
                      out.table({"KIND", "ON", "SINCE", "SUMMARY"}, rows);
                  },
                  ids};
}

// Prints the items there are, then each new one as attention:changed announces a change. After
// a lost connection it fetches the inbox again, so an item that appeared meanwhile is printed.
Result followInbox(Invocation& inv) {
    Output& output = inv.output();
    std::set<std::string> printed;
    const auto printNew = [&] {
        auto items = json::parseArray(inv.api().get(attentionPath(inv)).body);
        for (std::size_t i = 0; i < json::size(items); ++i) {
            auto item = json::objectAt(items, i);
            auto id = json::text(item, "id");
            if (!printed.insert(id).second) continue;
            maestro::json::Writer line;
            line.beginObject()
                .field("id", id)
                .field("kind", json::text(item, "kind"))
                .field("projectId", json::text(item, "projectId"))
                .field("sessionId", json::text(item, "sessionId"))
                .field("taskId", json::text(item, "taskId"))
                .field("since", json::integer(item, "since").value_or(0))
                .field("summary", json::text(item, "summary"))
                .endObject();
            if (!output.streamItem(line.take(), [&item](TextOut& out) { itemLine(out, item); }))
                return false;
        }
        return true;
    };
    FollowOptions follow{inv.server(), inv.token(), inv.retry(),
                         [&output](const std::string& line) { output.note(line); }};
    bool open = true;
    const auto subscribe = [&](WsConnection& connection) {
        maestro::json::Writer message;
        message.beginObject().field("type", "subscribe");
        if (!inv.project().empty()) message.field("projectId", inv.project());
        connection.send(message.endObject().take());
    };
    const auto handle = [&](const std::string& text) {
        auto type = json::text(serverMessage(text), "type");
        // Subscribed (again): whatever changed before is in the inbox now.
        if (type == "subscribed" || type == "attention:changed") open = printNew();
        return open;
    };
    followWebSocket(follow, subscribe, handle);
    Result result;
    result.streamed = true;
    return result;
}

} // namespace

void setupInbox(CLI::App& app, CommandTable& table) {
    auto o = std::make_shared<InboxOptions>();
    auto* inbox = table.add(
        app, "inbox",
        "What needs you: sessions waiting for input, stalled or failed, and blocked tasks", kServer,
        [o](Invocation& inv) { return o->follow ? followInbox(inv) : listInbox(inv); });
    inbox->add_flag("-f,--follow", o->follow,
                    "Print each new item as it appears (JSON lines with --json)");
}

} // namespace maestro::cli::commands
