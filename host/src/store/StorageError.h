#pragma once

#include <stdexcept>

namespace maestro::host::store {

// The storage failed, not the request. The SQLite connection raises these for the result codes
// that mean so, and the HTTP layer names them (507 storage_full, 503 storage_unavailable)
// instead of calling them a bug. Both leave the database as it was: SQLite rolls the
// transaction back, and writes succeed again once the cause is gone.

// The disk (or the file system holding the database) has no room left.
class StorageFull : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The database cannot be written or opened: a read-only file system, an I/O error, a file
// that has gone or may not be opened.
class StorageUnavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Errors of the request's data or of the moment rather than of the storage, raised alike by
// every backend so the HTTP layer maps them in one place whatever the engine.

// The change breaks a constraint: a duplicate key, a row that refers to a missing one (409).
class ConstraintViolation : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The database could not do it now (locked, a deadlock broken, a conflicting transaction, a
// lost connection to PostgreSQL); the same request may succeed when retried (503).
class DatabaseBusy : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace maestro::host::store
