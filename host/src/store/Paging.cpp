#include "store/Paging.h"

namespace maestro::host::store {

Where& Where::add(std::string_view condition) {
    sql_ += sql_.empty() ? " WHERE " : " AND ";
    sql_ += condition;
    return *this;
}

Where& Where::add(std::string_view condition, std::string value) {
    values_.push_back(std::move(value));
    return add(condition);
}

int Where::bind(Statement& statement) const {
    int index = 1;
    for (const auto& value : values_)
        statement.bind(index++, value);
    return index;
}

std::int64_t Where::count(Connection& connection, std::string_view table) const {
    auto query = connection.prepare("SELECT COUNT(*) FROM " + std::string(table) + sql_);
    bind(query);
    query.step();
    return query.integer(0);
}

std::optional<std::int64_t> Page::totalFrom(std::size_t returned) const {
    const auto rows = static_cast<std::int64_t>(returned);
    // After a keyset cursor the position is unknown; an empty page past the end says nothing
    // about how far the end is.
    if (after || rows >= limit || (rows == 0 && offset > 0)) return std::nullopt;
    return offset + rows;
}

std::int64_t Where::total(Connection& connection, std::string_view table, const Page& page,
                          std::size_t returned) const {
    if (auto known = page.totalFrom(returned)) return *known;
    return count(connection, table);
}

} // namespace maestro::host::store
