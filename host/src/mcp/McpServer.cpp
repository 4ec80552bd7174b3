#include "mcp/McpServer.h"

#include "domain/ApiError.h"
#include "json/Writer.h"
#include "mcp/ArgumentCheck.h"
#include "mcp/Resources.h"
#include "mcp/Tools.h"

#include <Poco/JSON/Parser.h>
#include <algorithm>

namespace maestro::host::mcp {

namespace {

Poco::JSON::Object::Ptr parseSchema(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// A tool's answer: the structured result, and the same JSON as text for clients that read only
// content (the specification asks for both).
std::string toolResult(const std::string& structured) {
    json::Writer out(structured.size() * 2 + 128);
    out.beginObject().key("content").beginArray().beginObject();
    out.field("type", "text").field("text", structured).endObject().endArray();
    out.key("structuredContent").raw(structured).field("isError", false).endObject();
    return out.take();
}

// A tool that failed as the server's own API would have: the error document as text.
std::string toolError(const domain::ApiError& error) {
    json::Writer document;
    document.beginObject()
        .field("error", true)
        .field("statusCode", error.status())
        .field("code", error.code())
        .field("message", std::string_view{error.what()})
        .key("details")
        .raw(error.detailsJson())
        .endObject();
    json::Writer out;
    out.beginObject().key("content").beginArray().beginObject();
    out.field("type", "text").field("text", document.str()).endObject().endArray();
    out.field("isError", true).endObject();
    return out.take();
}

} // namespace

const std::vector<std::string>& McpServer::protocolVersions() {
    static const std::vector<std::string> versions{"2025-11-25", "2025-06-18", "2025-03-26"};
    return versions;
}

bool McpServer::supports(std::string_view version) {
    const auto& all = protocolVersions();
    return std::find(all.begin(), all.end(), version) != all.end();
}

McpServer::McpServer(ToolEnv env, std::string serverVersion)
    : env_(env), serverVersion_(std::move(serverVersion)) {
    for (auto group : {statusTools, taskTools, subtaskTools, reportTools, sessionTools})
        for (auto& tool : group()) {
            auto schema = parseSchema(tool.inputSchema);
            parseSchema(tool.outputSchema); // a malformed schema fails at start-up, not later
            byName_[tool.name] = tools_.size();
            tools_.push_back({std::move(tool), schema});
        }
    toolsJson_ = listTools();
}

std::string McpServer::initialize(const Poco::JSON::Object& params, std::string& version) const {
    auto requested = params.optValue<std::string>("protocolVersion", "");
    version = supports(requested) ? requested : protocolVersions().front();
    json::Writer out(1024);
    out.beginObject().field("protocolVersion", version);
    out.key("capabilities").beginObject();
    out.key("tools").beginObject().field("listChanged", false).endObject();
    out.key("resources")
        .beginObject()
        .field("subscribe", false)
        .field("listChanged", false)
        .endObject();
    out.endObject();
    out.key("serverInfo")
        .beginObject()
        .field("name", "maestro")
        .field("title", "Maestro")
        .field("version", serverVersion_)
        .endObject();
    out.field("instructions",
              "Maestro keeps this project's tasks and subtasks and the agent sessions working on "
              "them. Read the status overview first; report progress on your task as you go, ask "
              "with report_needs_input when a person must decide, and complete or block the task "
              "when you are done or stuck. Tools default to the task of the Maestro session this "
              "connection names.");
    out.endObject();
    return out.take();
}

std::string McpServer::listTools() const {
    json::Writer out(16384);
    out.beginObject().key("tools").beginArray();
    for (const auto& entry : tools_) {
        const auto& tool = entry.tool;
        out.beginObject()
            .field("name", tool.name)
            .field("title", tool.title)
            .field("description", tool.description)
            .key("inputSchema")
            .raw(tool.inputSchema)
            .key("outputSchema")
            .raw(tool.outputSchema)
            .key("annotations")
            .beginObject()
            .field("title", tool.title)
            .field("readOnlyHint", tool.readOnly)
            .field("destructiveHint", false)
            .field("openWorldHint", false)
            .endObject()
            .endObject();
    }
    out.endArray().endObject();
    return out.take();
}

std::string McpServer::callTool(const Poco::JSON::Object& params,
                                const std::optional<std::string>& session) const {
    auto name = params.get("name");
    if (!name.isString()) throw RpcError(rpc::kInvalidParams, "params.name must be a tool name");
    auto found = byName_.find(name.extract<std::string>());
    if (found == byName_.end())
        throw RpcError(rpc::kInvalidParams, "Unknown tool: " + name.extract<std::string>());
    const auto& entry = tools_[found->second];

    Poco::JSON::Object::Ptr arguments;
    if (!params.has("arguments") || params.isNull("arguments"))
        arguments = new Poco::JSON::Object;
    else if (!(arguments = params.getObject("arguments")))
        throw RpcError(rpc::kInvalidParams, "params.arguments must be an object");
    checkArguments(*entry.inputSchema, arguments);

    try {
        ToolCall call(env_, domain::JsonInput(arguments), session);
        return toolResult(entry.tool.run(call));
    } catch (const domain::ApiError& error) {
        return toolError(error);
    }
}

McpServer::Outcome McpServer::handle(const Message& request,
                                     const std::optional<std::string>& session) const {
    try {
        return dispatch(request, session);
    } catch (const domain::ApiError& error) {
        // Outside a tool (a named session that does not exist, say): a protocol error that
        // carries the server's error document.
        json::Writer document;
        document.beginObject()
            .field("statusCode", error.status())
            .field("code", error.code())
            .key("details")
            .raw(error.detailsJson())
            .endObject();
        throw RpcError(error.status() < 500 ? rpc::kInvalidParams : rpc::kInternalError,
                       error.what(), document.take());
    }
}

McpServer::Outcome McpServer::dispatch(const Message& request,
                                       const std::optional<std::string>& session) const {
    const auto& method = request.method;
    const auto& params = *request.params;
    if (method == "initialize") {
        Outcome outcome;
        std::string version;
        outcome.resultJson = initialize(params, version);
        outcome.protocolVersion = version;
        return outcome;
    }
    if (method == "ping") return {"{}", std::nullopt};
    if (method == "tools/list") return {toolsJson_, std::nullopt};
    if (method == "tools/call") return {callTool(params, session), std::nullopt};
    if (method == "resources/list") return {resources::listJson(env_, session), std::nullopt};
    if (method == "resources/templates/list") return {resources::templatesJson(), std::nullopt};
    if (method == "resources/read") {
        auto uri = params.get("uri");
        if (!uri.isString()) throw RpcError(rpc::kInvalidParams, "params.uri must be a string");
        return {resources::readJson(env_, uri.extract<std::string>()), std::nullopt};
    }
    throw RpcError(rpc::kMethodNotFound, "Method not found: " + method);
}

} // namespace maestro::host::mcp
