#include "mcp/JsonRpc.h"

#include <gtest/gtest.h>

using namespace maestro::host::mcp;

namespace {

int codeOf(const std::string& text) {
    try {
        parseMessage(text);
    } catch (const RpcError& error) {
        return error.code();
    }
    return 0;
}

} // namespace

TEST(JsonRpc, ParsesRequestsNotificationsAndResponses) {
    auto request = parseMessage(R"({"jsonrpc":"2.0","id":"a\"b","method":"tools/list"})");
    EXPECT_TRUE(request.isRequest());
    EXPECT_EQ(request.idJson, R"("a\"b")") << "the id goes back exactly as it came";
    EXPECT_EQ(request.method, "tools/list");
    EXPECT_EQ(request.params->size(), 0u);

    auto numbered = parseMessage(R"({"jsonrpc":"2.0","id":7,"method":"ping","params":{"x":1}})");
    EXPECT_EQ(numbered.idJson, "7");
    EXPECT_TRUE(numbered.params->has("x"));

    auto notification = parseMessage(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    EXPECT_FALSE(notification.isRequest());
    auto response = parseMessage(R"({"jsonrpc":"2.0","id":3,"result":{}})");
    EXPECT_TRUE(response.isResponse);
    EXPECT_FALSE(response.isRequest());
}

TEST(JsonRpc, RefusesWhatIsNotOneValidMessageWithTheRightCode) {
    EXPECT_EQ(codeOf("{\"jsonrpc\":"), rpc::kParseError);
    EXPECT_EQ(codeOf("not json"), rpc::kParseError);
    EXPECT_EQ(codeOf(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])"), rpc::kInvalidRequest);
    EXPECT_EQ(codeOf(R"({"jsonrpc":"2.0","id":1})"), rpc::kInvalidRequest);
    EXPECT_EQ(codeOf(R"({"id":1,"method":"ping"})"), rpc::kInvalidRequest);
    EXPECT_EQ(codeOf(R"({"jsonrpc":"1.0","id":1,"method":"ping"})"), rpc::kInvalidRequest);
    EXPECT_EQ(codeOf(R"({"jsonrpc":"2.0","id":1,"method":""})"), rpc::kInvalidRequest);
    EXPECT_EQ(codeOf(R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})"), rpc::kInvalidRequest);
    EXPECT_EQ(codeOf(R"({"jsonrpc":"2.0","id":true,"method":"ping"})"), rpc::kInvalidRequest);
    EXPECT_EQ(codeOf(R"({"jsonrpc":"2.0","result":{}})"), rpc::kInvalidRequest);
    EXPECT_EQ(codeOf(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":[1]})"),
              rpc::kInvalidParams);
}

TEST(JsonRpc, RendersResultsAndErrors) {
    EXPECT_EQ(resultJson("1", "{}"), R"({"jsonrpc":"2.0","id":1,"result":{}})");
    EXPECT_EQ(errorJson(std::nullopt, rpc::kParseError, "bad"),
              R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"bad"}})");
    EXPECT_EQ(
        errorJson(std::string(R"("x")"), rpc::kInvalidParams, "no", R"({"f":1})"),
        R"({"jsonrpc":"2.0","id":"x","error":{"code":-32602,"message":"no","data":{"f":1}}})");
}
