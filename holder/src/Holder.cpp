#include "Holder.h"

#include "holder/ProcessIdentity.h"
#include "holder/SessionFolder.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace maestro::holder {

namespace {

constexpr std::size_t kMaxClients = 64;
constexpr std::size_t kMaxPendingInput = 1u << 20;
constexpr std::chrono::milliseconds kStopGrace{3000};
// After the agent is reaped, how long output of processes it left on the terminal is still
// read before the terminal is hung up.
constexpr std::chrono::milliseconds kHangupDelay{100};
// Once its work is done, how long the holder waits at most for clients to read the rest of
// their output and the exit status (when ending without a Release), and for what the agent
// started to end, so it can be reaped here.
constexpr std::chrono::milliseconds kLinger{2000};

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void note(const std::string& text) {
    std::cerr << nowMs() << " maestro-session[" << ::getpid() << "]: " << text << std::endl;
}

std::string errnoText(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

} // namespace

struct Holder::Client {
    int fd = -1;
    FrameReader reader;
    std::string out;         // frames not yet (fully) sent
    std::size_t outSent = 0; // bytes of `out` already sent
    bool writeArmed = false; // EPOLLOUT is being watched
    bool attached = false;
    std::uint64_t cursor = 0; // next output offset to send, when attached
    bool owedOnExit = true;   // connected while the agent ran: told when it ends
    bool exitSent = false;
    bool hungUp = false; // nothing more can be sent to it
};

Holder::Holder(HolderOptions options) : options_(std::move(options)) {
    dirFd_ = ::open(options_.dir.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (dirFd_ < 0) throw SpawnFailure(errnoText("session folder " + options_.dir.string()));
    // The socket is bound by its short relative name, whatever the folder's path length.
    if (::fchdir(dirFd_) != 0) throw SpawnFailure(errnoText("session folder"));
    logFd_ = ::openat(dirFd_, kOutputFile, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logFd_ < 0) throw SpawnFailure(errnoText(kOutputFile));
    end_ = static_cast<std::uint64_t>(::lseek(logFd_, 0, SEEK_END));

    listenFd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, kSocketFile);
    ::unlinkat(dirFd_, kSocketFile, 0); // a stale one from a holder that was killed
    auto previous = ::umask(0177);      // the socket is the session's door: 0600
    int bound = ::bind(listenFd_, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    ::umask(previous);
    if (listenFd_ < 0 || bound != 0 || ::listen(listenFd_, 16) != 0)
        throw SpawnFailure(errnoText(kSocketFile));

    // Whatever the agent leaves behind when it exits is reparented here, not to init: the
    // holder reaps it (SIGCHLD), so no zombie outlives its session.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    sigset_t signals;
    sigemptyset(&signals);
    for (int signal : {SIGTERM, SIGINT, SIGHUP, SIGCHLD})
        sigaddset(&signals, signal);
    ::sigprocmask(SIG_BLOCK, &signals, nullptr);
    signalFd_ = ::signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
    inotifyFd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    ::inotify_add_watch(inotifyFd_, ".", IN_DELETE_SELF | IN_DELETE);
    epollFd_ = ::epoll_create1(EPOLL_CLOEXEC);

    agent_.emplace(PtyProcess::start(options_.agent));
    startedAtMs_ = nowMs();
    agentStartTicks_ = readProcessStat(agent_->pid()).value_or(ProcessStat{}).startTicks;
    for (int fd : {listenFd_, agent_->master(), signalFd_, inotifyFd_})
        watch(fd, EPOLLIN);

    HolderInfo info;
    info.version = kProtocolVersion;
    info.holderPid = ::getpid();
    info.holderStartTicks = readProcessStat(::getpid()).value_or(ProcessStat{}).startTicks;
    info.agentPid = agent_->pid();
    info.agentStartTicks = agentStartTicks_;
    info.bootId = bootId();
    info.startedAtMs = startedAtMs_;
    if (!writeHolderInfo(dirFd_, info))
        note(errnoText(std::string("cannot write ") + kHolderInfoFile));
}

Holder::~Holder() {
    for (auto& [fd, client] : clients_)
        ::close(fd);
    for (int fd : {dirFd_, logFd_, listenFd_, epollFd_, signalFd_, inotifyFd_})
        if (fd >= 0) ::close(fd);
}

void Holder::watch(int fd, std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    ::epoll_ctl(epollFd_, EPOLL_CTL_ADD, fd, &event);
}

int Holder::run() {
    epoll_event events[32];
    while (!done()) {
        auto now = Clock::now();
        auto next = Clock::time_point::max();
        for (const auto& deadline : {killAt_, hangupAt_, lingerUntil_})
            if (deadline) next = std::min(next, *deadline);
        int timeout = -1;
        if (next != Clock::time_point::max())
            timeout = static_cast<int>(std::clamp<long long>(
                std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1, 0,
                60'000));
        int n = ::epoll_wait(epollFd_, events, 32, timeout);
        if (n < 0 && errno != EINTR) {
            note(errnoText("epoll_wait"));
            return 1;
        }
        for (int i = 0; i < n; ++i) {
            int fd = events[i].data.fd;
            auto what = events[i].events;
            if (fd == listenFd_) {
                accept();
            } else if (!terminalDone_ && fd == agent_->master()) {
                if (what & (EPOLLIN | EPOLLHUP | EPOLLERR)) readTerminal();
                if (!terminalDone_ && (what & EPOLLOUT)) writeTerminal();
            } else if (fd == signalFd_) {
                onSignal();
            } else if (fd == inotifyFd_) {
                onFolderEvent();
            } else if (auto it = clients_.find(fd); it != clients_.end()) {
                if (what & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) readClient(*it->second);
            }
        }
        now = Clock::now();
        if (killAt_ && now >= *killAt_) {
            agent_->signal(SIGKILL);
            killAt_ = now + std::chrono::seconds(1); // and again, until it is reaped
        }
        if (hangupAt_ && now >= *hangupAt_) {
            hangupAt_.reset();
            if (!terminalDone_) {
                ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, agent_->master(), nullptr);
                agent_->closeMaster(); // what is left on the terminal gets SIGHUP
                terminalDone_ = true;
                finishExit();
            }
        }
        std::vector<int> fds;
        for (const auto& [fd, client] : clients_)
            fds.push_back(fd);
        for (int fd : fds)
            if (auto it = clients_.find(fd); it != clients_.end()) pump(*it->second);
    }
    if (!folderGone_) ::unlinkat(dirFd_, kSocketFile, 0);
    return 0;
}

bool Holder::done() {
    bool finished = released_ || (exited_ && endWhenExited_);
    if (!finished) return false;
    if (!lingerUntil_) lingerUntil_ = Clock::now() + kLinger;
    if (Clock::now() >= *lingerUntil_) return true;
    bool flushing =
        !released_ && std::any_of(clients_.begin(), clients_.end(), [this](const auto& entry) {
            const Client& c = *entry.second;
            return c.outSent < c.out.size() || (c.attached && c.cursor < end_) || exitOwed(c);
        });
    // Children left (what the agent started, reparented here) end soon after the hang-up.
    siginfo_t info{};
    bool children = ::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0;
    return !flushing && !children;
}

void Holder::accept() {
    for (;;) {
        int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) return;
        if (clients_.size() >= kMaxClients) {
            ::close(fd);
            continue;
        }
        auto client = std::make_unique<Client>();
        client->fd = fd;
        client->owedOnExit = !exited_;
        Welcome welcome;
        welcome.holderPid = static_cast<std::uint32_t>(::getpid());
        welcome.agentPid = static_cast<std::uint32_t>(agent_->pid());
        welcome.agentStartTicks = agentStartTicks_;
        welcome.startedAtMs = startedAtMs_;
        welcome.outputEnd = end_;
        appendFrame(client->out, Type::Welcome, welcomePayload(welcome));
        watch(fd, EPOLLIN | EPOLLRDHUP);
        clients_[fd] = std::move(client);
    }
}

void Holder::drop(int fd) {
    ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    clients_.erase(fd);
}

void Holder::readClient(Client& client) {
    char buffer[65536];
    for (;;) {
        auto n = ::recv(client.fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (n <= 0) return drop(client.fd); // gone: a client's end is no event for the session
        client.reader.feed({buffer, static_cast<std::size_t>(n)});
        try {
            while (auto frame = client.reader.next())
                handle(client, *frame);
        } catch (const ProtocolError& error) {
            note(std::string("dropping a client: ") + error.what());
            return drop(client.fd);
        }
    }
}

void Holder::handle(Client& client, const Frame& frame) {
    auto refuse = [&](std::string_view message) {
        appendFrame(client.out, Type::Error, errorPayload(frame.type, message));
    };
    PayloadReader in(frame.payload);
    switch (frame.type) {
    case Type::Hello:
        in.u16(); // every version this holder knows is compatible with its own
        return;
    case Type::Attach:
        client.attached = true;
        client.cursor = std::min(in.u64(), end_);
        // An exit notice sent before this Attach was read came ahead of the output asked for:
        // the notice comes again after it, so the last frame an attached client gets is the exit.
        client.exitSent = false;
        return;
    case Type::Detach:
        client.attached = false;
        return;
    case Type::Input:
        if (reaped_ || terminalDone_) return refuse("the agent has ended");
        if (pendingInput_.size() + frame.payload.size() > kMaxPendingInput)
            return refuse("the terminal is not reading its input");
        pendingInput_ += frame.payload;
        return writeTerminal();
    case Type::Resize: {
        int cols = in.u16(), rows = in.u16();
        if (cols < 1 || rows < 1 || cols > 1000 || rows > 1000)
            return refuse("cols and rows must be 1-1000");
        if (reaped_ || terminalDone_ || !agent_->resize(cols, rows))
            return refuse("the agent has ended");
        return;
    }
    case Type::Signal: {
        int signal = in.u8();
        if (signal < 1 || signal >= NSIG) return refuse("no such signal");
        if (reaped_) return refuse("the agent has ended");
        agent_->signal(signal);
        return;
    }
    case Type::Stop:
        return stopAgent(std::chrono::milliseconds(in.u32()));
    case Type::Status:
        appendFrame(client.out, Type::State, statePayload(state()));
        return;
    case Type::Release:
        if (!exited_) return refuse("the agent is still running");
        released_ = true;
        ::unlinkat(dirFd_, kSocketFile, 0); // collected: nobody needs to find this holder again
        return;
    default:
        return refuse("unknown request");
    }
}

bool Holder::exitOwed(const Client& client) const {
    if (!exited_ || client.exitSent) return false;
    return client.attached ? client.cursor >= end_ : client.owedOnExit;
}

void Holder::pump(Client& client) {
    if (client.hungUp) {
        client.out.clear(); // answers nobody will read
        return;
    }
    for (;;) {
        if (client.outSent < client.out.size()) {
            auto n = ::send(client.fd, client.out.data() + client.outSent,
                            client.out.size() - client.outSent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) {
                client.outSent += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                // The client has hung up, perhaps right after its last request (a Release):
                // read what it sent; its end of file drops it.
                client.out.clear();
                client.outSent = 0;
                client.hungUp = true;
                return readClient(client);
            }
            if (n < 0) {
                if (!client.writeArmed) {
                    epoll_event event{};
                    event.events = EPOLLIN | EPOLLRDHUP | EPOLLOUT;
                    event.data.fd = client.fd;
                    ::epoll_ctl(epollFd_, EPOLL_CTL_MOD, client.fd, &event);
                    client.writeArmed = true;
                }
                return;
            }
            return drop(client.fd);
        }
        client.out.clear();
        client.outSent = 0;
        if (client.attached && client.cursor < end_) {
            // The next chunk comes from output.log: the socket decides the pace, not memory.
            auto size =
                static_cast<std::size_t>(std::min<std::uint64_t>(kMaxChunk, end_ - client.cursor));
            appendFrameHeader(client.out, Type::Output, 8 + size);
            client.out += offsetPayload(client.cursor);
            auto at = client.out.size();
            client.out.resize(at + size);
            auto n =
                ::pread(logFd_, client.out.data() + at, size, static_cast<off_t>(client.cursor));
            if (n != static_cast<ssize_t>(size)) {
                note(errnoText("cannot read back output.log"));
                return drop(client.fd);
            }
            client.cursor += size;
            continue;
        }
        if (exitOwed(client)) {
            appendFrame(client.out, Type::State, statePayload(state()));
            client.exitSent = true;
            continue;
        }
        if (client.writeArmed) {
            epoll_event event{};
            event.events = EPOLLIN | EPOLLRDHUP;
            event.data.fd = client.fd;
            ::epoll_ctl(epollFd_, EPOLL_CTL_MOD, client.fd, &event);
            client.writeArmed = false;
        }
        return;
    }
}

void Holder::readTerminal() {
    char buffer[65536];
    for (int reads = 0; reads < 16; ++reads) { // then let the clients have their turn
        auto n = ::read(agent_->master(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (n <= 0) {
            // EIO: every slave descriptor is closed; the agent is ending or has ended.
            ::epoll_ctl(epollFd_, EPOLL_CTL_DEL, agent_->master(), nullptr);
            agent_->closeMaster();
            terminalDone_ = true;
            hangupAt_.reset();
            if (reaped_) finishExit();
            return;
        }
        std::string_view data(buffer, static_cast<std::size_t>(n));
        while (!data.empty()) {
            auto written = ::write(logFd_, data.data(), data.size());
            if (written < 0 && errno == EINTR) continue;
            if (written <= 0) {
                note(errnoText("cannot write output.log; output lost"));
                break;
            }
            end_ += static_cast<std::uint64_t>(written);
            data.remove_prefix(static_cast<std::size_t>(written));
        }
    }
}

void Holder::writeTerminal() {
    while (!pendingInput_.empty()) {
        auto n = ::write(agent_->master(), pendingInput_.data(), pendingInput_.size());
        if (n > 0) {
            pendingInput_.erase(0, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        pendingInput_.clear(); // the terminal is gone
        break;
    }
    epoll_event event{};
    event.events = pendingInput_.empty() ? EPOLLIN : EPOLLIN | EPOLLOUT;
    event.data.fd = agent_->master();
    ::epoll_ctl(epollFd_, EPOLL_CTL_MOD, agent_->master(), &event);
}

void Holder::reapChildren() {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0)
        if (pid == agent_->pid()) onAgentExit(status);
}

void Holder::onAgentExit(int status) {
    reaped_ = true;
    killAt_.reset();
    exit_.endedAtMs = nowMs();
    if (WIFEXITED(status)) {
        exit_.exitCode = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        exit_.signal = static_cast<std::uint8_t>(WTERMSIG(status));
        exit_.exitCode = 128 + WTERMSIG(status);
    }
    if (!terminalDone_) readTerminal(); // what it wrote last
    if (terminalDone_)
        finishExit();
    else
        hangupAt_ = Clock::now() + kHangupDelay; // something it started still has the terminal
}

void Holder::finishExit() {
    if (exited_) return;
    exit_.exited = true;
    exit_.outputEnd = end_;
    exit_.stopRequested = stopRequested_;
    ExitInfo info{exit_.exitCode, exit_.signal, exit_.stopRequested, exit_.endedAtMs, end_};
    if (!folderGone_ && !writeExitInfo(dirFd_, info))
        note(errnoText(std::string("cannot write ") + kExitInfoFile));
    exited_ = true;
    note("agent " + std::to_string(agent_->pid()) + " ended with exit code " +
         std::to_string(exit_.exitCode));
}

State Holder::state() const {
    if (exited_) return exit_;
    State running;
    running.outputEnd = end_;
    running.stopRequested = stopRequested_;
    return running;
}

void Holder::stopAgent(std::chrono::milliseconds grace) {
    stopRequested_ = true;
    if (reaped_) return;
    agent_->signal(grace.count() > 0 ? SIGTERM : SIGKILL);
    auto deadline = Clock::now() + grace;
    if (!killAt_ || deadline < *killAt_) killAt_ = deadline;
}

void Holder::onSignal() {
    signalfd_siginfo info{};
    while (::read(signalFd_, &info, sizeof info) == sizeof info) {
        if (info.ssi_signo == SIGCHLD) {
            reapChildren();
            continue;
        }
        if (info.ssi_signo == SIGHUP) continue; // the holder has no terminal to lose
        note("signal " + std::to_string(info.ssi_signo) + ": stopping the agent");
        endWhenExited_ = true;
        stopAgent(kStopGrace);
    }
}

void Holder::onFolderEvent() {
    alignas(inotify_event) char buffer[4096];
    for (;;) {
        auto n = ::read(inotifyFd_, buffer, sizeof buffer);
        if (n <= 0) return;
        for (char* at = buffer; at < buffer + n;) {
            auto* event = reinterpret_cast<inotify_event*>(at);
            at += sizeof(inotify_event) + event->len;
            bool socketRemoved = (event->mask & IN_DELETE) && event->len > 0 &&
                                 std::strcmp(event->name, kSocketFile) == 0;
            if (!(event->mask & IN_DELETE_SELF) && !socketRemoved) continue;
            if (released_ || folderGone_) continue;
            // Nobody can reach or record the session any more: end it.
            note("the session's folder or socket was removed: stopping the agent");
            folderGone_ = true;
            endWhenExited_ = true;
            stopAgent(kStopGrace);
        }
    }
}

} // namespace maestro::holder
