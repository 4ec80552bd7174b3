#pragma once

#include <chrono>

namespace maestro::host::store {

// Told when other servers commit events to the shared database (PostgreSQL LISTEN/NOTIFY on
// the channel the events trigger notifies, migrations/postgresql/001). A notification is only
// a hint to read the log: one may be missed (the connection dropped and was reopened), so a
// waiter also reads the log now and then on its own.
class CommitListener {
public:
    virtual ~CommitListener() = default;
    // Waits up to `timeout` for a notification. True when one came or the connection was
    // (re)opened, which may have missed some; false on a quiet timeout or after interrupt().
    virtual bool wait(std::chrono::milliseconds timeout) = 0;
    // Ends the current and every later wait() at once; any thread may call it.
    virtual void interrupt() = 0;
};

} // namespace maestro::host::store
