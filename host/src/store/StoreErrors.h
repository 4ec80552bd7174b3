#pragma once

#include <stdexcept>

namespace maestro::host::store {

// Database errors that are not faults of the server, raised alike by every backend so the
// HTTP layer maps them in one place whatever the engine.

// The change breaks a constraint: a duplicate key, a row that refers to a missing one.
class ConstraintViolation : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The database could not do it now (locked, a deadlock broken, a conflicting transaction);
// the same request may succeed when retried.
class DatabaseBusy : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace maestro::host::store
