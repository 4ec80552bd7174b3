#include "app/ServerConfig.h"

#include <gtest/gtest.h>

namespace {

using maestro::host::app::isLoopback;
using Poco::Net::IPAddress;

TEST(ServerConfig, LoopbackIsDecidedByTheAddress) {
    for (const char* address : {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1",
                                "::ffff:127.0.0.1", "::ffff:127.1.2.3"})
        EXPECT_TRUE(isLoopback(IPAddress(address))) << address;
    for (const char* address : {"0.0.0.0", "::", "10.0.0.1", "192.168.1.127", "128.0.0.1",
                                "::ffff:10.0.0.1", "::ffff:0.0.0.0", "fe80::1", "2001:db8::127"})
        EXPECT_FALSE(isLoopback(IPAddress(address))) << address;
}

} // namespace
