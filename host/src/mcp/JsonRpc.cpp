#include "mcp/JsonRpc.h"

#include "json/Writer.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

namespace maestro::host::mcp {

namespace {

std::string idText(const Poco::Dynamic::Var& id) {
    if (id.isString()) {
        std::string out;
        json::Writer::appendQuoted(out, id.extract<std::string>());
        return out;
    }
    if (id.isInteger() && !id.isBoolean()) return std::to_string(id.convert<std::int64_t>());
    throw RpcError(rpc::kInvalidRequest, "id must be a string or an integer");
}

} // namespace

Message parseMessage(std::string_view text) {
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(std::string(text));
    } catch (const Poco::Exception& e) {
        throw RpcError(rpc::kParseError, "Parse error: " + e.message());
    }
    if (parsed.type() == typeid(Poco::JSON::Array::Ptr))
        throw RpcError(rpc::kInvalidRequest, "Batches are not supported; send one message");
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw RpcError(rpc::kInvalidRequest, "A JSON-RPC message must be an object");
    auto object = parsed.extract<Poco::JSON::Object::Ptr>();
    if (object->optValue<std::string>("jsonrpc", "") != "2.0" || !object->get("jsonrpc").isString())
        throw RpcError(rpc::kInvalidRequest, "jsonrpc must be \"2.0\"");

    Message message;
    if (object->has("id") && !object->isNull("id")) message.idJson = idText(object->get("id"));
    if (object->has("result") || object->has("error")) {
        if (!message.idJson) throw RpcError(rpc::kInvalidRequest, "A response needs an id");
        message.isResponse = true;
        message.params = new Poco::JSON::Object;
        return message;
    }
    auto method = object->get("method");
    if (!method.isString() || method.extract<std::string>().empty())
        throw RpcError(rpc::kInvalidRequest, "method must be a non-empty string");
    message.method = method.extract<std::string>();
    if (!object->has("params") || object->isNull("params")) {
        message.params = new Poco::JSON::Object;
    } else {
        message.params = object->getObject("params");
        if (!message.params) throw RpcError(rpc::kInvalidParams, "params must be an object");
    }
    return message;
}

std::string resultJson(const std::string& idJson, std::string_view result) {
    json::Writer out(result.size() + 64);
    out.beginObject().field("jsonrpc", "2.0").key("id").raw(idJson).key("result").raw(result);
    out.endObject();
    return out.take();
}

std::string errorJson(const std::optional<std::string>& idJson, int code, std::string_view message,
                      std::string_view dataJson) {
    json::Writer out(256 + dataJson.size());
    out.beginObject().field("jsonrpc", "2.0").key("id");
    if (idJson)
        out.raw(*idJson);
    else
        out.null();
    out.key("error").beginObject().field("code", code).field("message", message);
    if (!dataJson.empty()) out.key("data").raw(dataJson);
    out.endObject().endObject();
    return out.take();
}

} // namespace maestro::host::mcp
