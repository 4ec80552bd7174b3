// maestro mcp: the Maestro MCP server over stdio, for agents that start their tool servers as
// processes. Each JSON-RPC line read on stdin is posted to the server's /mcp endpoint
// (Streamable HTTP) and its answer written to stdout as one line; the bridge keeps the MCP
// session the server opened and names the Maestro session of its environment.
#include "CliError.h"
#include "Json.h"
#include "commands/Commands.h"

#include <CLI/App.hpp>
#include <iostream>

namespace maestro::cli::commands {

namespace {

constexpr int kServerError = -32000; // JSON-RPC: implementation-defined server error

struct Line {
    std::string text;
    std::optional<std::string> idJson; // a request's id, as sent
    std::string method;
};

// What the bridge needs to know of a message; anything it cannot read goes to the server as it
// is, which answers with the proper JSON-RPC error.
Line inspect(std::string text) {
    Line line{std::move(text), std::nullopt, {}};
    try {
        auto object = json::parseObject(line.text);
        line.method = json::text(object, "method");
        if (object->has("id") && !object->isNull("id") && !line.method.empty())
            line.idJson = json::stringify(object->get("id"));
    } catch (const CliError&) {
    }
    return line;
}

class Bridge {
public:
    Bridge(Invocation& inv) : inv_(inv), out_(inv.output().out()) {}

    void run(std::istream& in) {
        std::string text;
        while (std::getline(in, text)) {
            if (!text.empty() && text.back() == '\r') text.pop_back();
            if (text.find_first_not_of(" \t") == std::string::npos) continue;
            forward(inspect(std::move(text)));
        }
        if (session_) {
            try {
                inv_.api().exchange("DELETE", "/mcp", {}, headers());
            } catch (const CliError&) {
                // The server is gone; so is the session.
            }
        }
    }

private:
    HeaderList headers() const {
        HeaderList list{{"Accept", "application/json, text/event-stream"}};
        if (session_) list.emplace_back("Mcp-Session-Id", *session_);
        if (version_) list.emplace_back("MCP-Protocol-Version", *version_);
        if (!inv_.env().sessionId.empty())
            list.emplace_back("X-Maestro-Session", inv_.env().sessionId);
        return list;
    }

    HttpResponse post(const std::string& body) {
        return inv_.api().exchange("POST", "/mcp", body, headers());
    }

    // Keeps what initialize agreed on, so later messages name the session and version.
    void remember(const Line& line, const HttpResponse& response) {
        if (line.method != "initialize" || response.status != 200) return;
        initialize_ = line.text;
        if (auto id = response.header("Mcp-Session-Id")) session_ = *id;
        try {
            auto result = json::object(json::parseObject(response.body), "result");
            if (auto version = json::text(result, "protocolVersion"); !version.empty())
                version_ = version;
        } catch (const CliError&) {
        }
    }

    // The server forgot the session (it restarted, or the session expired): initialize again
    // with the client's own initialize, quietly, and report whether that worked.
    bool reopen() {
        if (!initialize_) return false;
        session_.reset();
        version_.reset();
        auto line = inspect(*initialize_);
        auto response = post(line.text);
        remember(line, response);
        if (!session_) return false;
        post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
        inv_.output().debug("mcp: the server's session was gone; initialized a new one");
        return true;
    }

    void forward(const Line& line) {
        try {
            auto response = post(line.text);
            if (response.status == 404 && line.method != "initialize" && reopen())
                response = post(line.text);
            remember(line, response);
            if (!response.body.empty()) write(response.body);
        } catch (const CliError& error) {
            // No answer could be had: a request still gets one, so the agent does not wait.
            if (line.idJson)
                write(R"({"jsonrpc":"2.0","id":)" + *line.idJson + R"(,"error":{"code":)" +
                      std::to_string(kServerError) + R"(,"message":)" +
                      json::stringify(Poco::Dynamic::Var(std::string(error.what()))) + "}}");
            inv_.output().note(std::string("mcp: ") + error.what());
        }
    }

    void write(const std::string& message) {
        // One message per line: the server's JSON has no raw newlines, but make sure.
        std::string lineText = message;
        std::erase(lineText, '\n');
        out_ << lineText << '\n' << std::flush;
    }

    Invocation& inv_;
    std::ostream& out_;
    std::optional<std::string> session_;
    std::optional<std::string> version_;
    std::optional<std::string> initialize_;
};

Result runMcp(Invocation& inv) {
    Bridge(inv).run(std::cin);
    Result result;
    result.streamed = true;
    return result;
}

} // namespace

void setupMcp(CLI::App& app, CommandTable& table) {
    table.add(app, "mcp",
              "Serve Maestro's MCP tools on stdin/stdout (a bridge to the server's /mcp)", kServer,
              runMcp);
}

} // namespace maestro::cli::commands
