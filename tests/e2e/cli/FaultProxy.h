#pragma once

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace maestro::test {

// A TCP proxy on 127.0.0.1:0 in front of a server, for testing what a client does when the
// network fails it. With faults on, every third connection is cut, in turn:
//   - before the request reaches the server (the client sees a reset, nothing happened);
//   - after the server answered but before any of the answer is passed on (the server acted,
//     the client cannot know);
//   - halfway through the answer (the client holds a truncated response).
// Cuts are resets (SO_LINGER 0), as a crashed peer or a dropped NAT entry would give.
class FaultProxy {
public:
    explicit FaultProxy(int targetPort);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int port() const noexcept { return port_; }
    void setFaults(bool on) { faults_ = on; }
    // Where new connections go from now on: a restarted server listens on another port.
    void setTarget(int port) { targetPort_ = port; }
    // Resets every connection open now (a WebSocket client must reconnect).
    void cutAll();

    int connections() const noexcept { return connections_; }
    int cuts() const noexcept { return cuts_; }

private:
    enum class Fault { None, BeforeRequest, BeforeResponse, MidResponse };

    void acceptLoop();
    void relay(int client, Fault fault);
    void track(int fd, bool add);

    int listener_ = -1;
    int wakeup_[2] = {-1, -1};
    int port_ = 0;
    std::atomic<int> targetPort_;
    std::atomic<bool> faults_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<int> connections_{0};
    std::atomic<int> cuts_{0};
    std::mutex mutex_;
    std::set<int> open_;
    std::vector<std::thread> workers_;
    std::thread acceptor_;
};

} // namespace maestro::test
