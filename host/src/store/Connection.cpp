#include "store/Connection.h"

namespace maestro::host::store {

Statement Connection::prepare(std::string_view sql) {
    auto it = cache_.find(std::string{sql});
    if (it != cache_.end() && !it->second.inUse) {
        it->second.inUse = true;
        return Statement(it->second.statement.get(), &it->second.inUse, nullptr);
    }
    auto compiled = compile(sql);
    if (it != cache_.end()) { // the cached one is busy: this borrow gets its own
        auto* raw = compiled.get();
        return Statement(raw, nullptr, std::move(compiled));
    }
    auto [entry, added] = cache_.emplace(std::string{sql}, Cached{std::move(compiled), true});
    return Statement(entry->second.statement.get(), &entry->second.inUse, nullptr);
}

Statement::Statement(PreparedStatement* statement, bool* inUse,
                     std::unique_ptr<PreparedStatement> owned)
    : statement_(statement), inUse_(inUse), owned_(std::move(owned)) {}

Statement::Statement(Statement&& other) noexcept
    : statement_(other.statement_), inUse_(other.inUse_), owned_(std::move(other.owned_)) {
    other.statement_ = nullptr;
}

Statement::~Statement() {
    if (!statement_ || owned_) return; // an owned statement goes with its borrow
    statement_->reset();
    *inUse_ = false;
}

Statement& Statement::bind(int index, std::string_view text) {
    statement_->bindText(index, text);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    statement_->bindInteger(index, value);
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
    return text ? bind(index, std::string_view{*text}) : bindNull(index);
}

Statement& Statement::bindNull(int index) {
    statement_->bindNull(index);
    return *this;
}

bool Statement::step() {
    return statement_->step();
}

void Statement::run() {
    while (step()) {
    }
}

std::optional<std::string> Statement::optionalString(int column) const {
    if (isNull(column)) return std::nullopt;
    return string(column);
}

} // namespace maestro::host::store
