#include "store/postgresql/PostgresCommitListener.h"

#include <Poco/Logger.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdexcept>
#include <sys/eventfd.h>
#include <unistd.h>

namespace maestro::host::store {

PostgresCommitListener::PostgresCommitListener(std::string url, std::string channel)
    : url_(std::move(url)), channel_(std::move(channel)),
      wakeFd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (wakeFd_ < 0) throw std::runtime_error("eventfd failed");
}

PostgresCommitListener::~PostgresCommitListener() {
    connection_.reset();
    ::close(wakeFd_);
}

void PostgresCommitListener::interrupt() {
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wakeFd_, &one, sizeof one);
}

bool PostgresCommitListener::wait(std::chrono::milliseconds timeout) {
    if (connection_ && connection_->broken()) connection_.reset();
    if (!connection_) {
        try {
            auto connection =
                std::make_unique<PostgresConnection>(url_, Connection::Mode::ReadWrite);
            connection->execScript("LISTEN " + channel_);
            connection_ = std::move(connection);
        } catch (const std::exception& e) {
            Poco::Logger::get("host.store")
                .warning("cannot listen for events: %s", std::string{e.what()});
            pollfd wake{wakeFd_, POLLIN, 0};
            ::poll(&wake, 1, static_cast<int>(timeout.count())); // the next try, not at once
        }
        return true; // whatever was notified while it was not listening is unknown
    }
    pollfd fds[2] = {{PQsocket(connection_->handle()), POLLIN, 0}, {wakeFd_, POLLIN, 0}};
    if (::poll(fds, 2, static_cast<int>(timeout.count())) <= 0) return false;
    if (fds[1].revents) return false;
    if (!PQconsumeInput(connection_->handle())) {
        connection_.reset();
        return true;
    }
    bool notified = false;
    while (PGnotify* notification = PQnotifies(connection_->handle())) {
        notified = true;
        PQfreemem(notification);
    }
    return notified;
}

} // namespace maestro::host::store
