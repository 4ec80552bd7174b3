#pragma once

#include "store/CommitListener.h"
#include "store/postgresql/PostgresConnection.h"

#include <memory>
#include <string>

namespace maestro::host::store {

// A connection of its own that LISTENs on the events channel; reopened (and LISTENing again)
// after it is lost, once per wait() at most.
class PostgresCommitListener final : public CommitListener {
public:
    PostgresCommitListener(std::string url, std::string channel);
    ~PostgresCommitListener() override;

    bool wait(std::chrono::milliseconds timeout) override;
    void interrupt() override;

private:
    std::string url_;
    std::string channel_;
    std::unique_ptr<PostgresConnection> connection_;
    int wakeFd_; // an eventfd: interrupt() makes it readable for good
};

} // namespace maestro::host::store
