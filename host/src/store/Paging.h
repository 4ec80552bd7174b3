#pragma once

#include "store/Connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace maestro::host::store {

struct Page {
    static constexpr std::int64_t kMaxLimit = 1000;
    std::int64_t limit = kMaxLimit;
    std::int64_t offset = 0;
    // Keyset paging: the rows after this one (an id) in list order, instead of an offset. Its
    // cost does not grow with the page's depth; only lists that say so take it.
    std::optional<std::string> after;

    // The number of matches, when a page that returned `returned` rows tells it: one that
    // ended before its limit, at a known offset (not an empty page past the end).
    std::optional<std::int64_t> totalFrom(std::size_t returned) const;
};

// Rendered entities of one page, in list order, and how many match in all.
struct JsonPage {
    std::vector<std::string> items;
    std::int64_t total = 0;
};

// The WHERE clause of a filtered list and the values of its placeholders, so that the page
// query and its COUNT(*) are built from one description of the filter.
class Where {
public:
    // AND `condition`, whose one `?` takes `value`.
    Where& add(std::string_view condition, std::string value);
    // AND `condition`, which has no placeholder.
    Where& add(std::string_view condition);

    // " WHERE …" (or "" for no condition), to append after FROM.
    const std::string& sql() const noexcept { return sql_; }
    // Binds the values from placeholder 1 on; returns the next free placeholder.
    int bind(Statement& statement) const;
    // How many rows of `table` match.
    std::int64_t count(Connection& connection, std::string_view table) const;
    // The total behind a page that returned `returned` rows: Page::totalFrom when it tells,
    // counted otherwise.
    std::int64_t total(Connection& connection, std::string_view table, const Page& page,
                       std::size_t returned) const;

private:
    std::string sql_;
    std::vector<std::string> values_;
};

} // namespace maestro::host::store
