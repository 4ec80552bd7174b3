#include "store/postgresql/PostgresConnection.h"

#include "store/StorageError.h"

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <charconv>
#include <libpq-fe.h>
#include <memory>
#include <stdexcept>
#include <vector>

namespace maestro::host::store {

namespace {

constexpr std::size_t kLoginTimeoutSeconds = 10;

struct ResultDeleter {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

class PostgresStatement final : public PreparedStatement {
public:
    PostgresStatement(PostgresConnection& connection, std::string name, int parameters)
        : connection_(connection), name_(std::move(name)),
          values_(static_cast<std::size_t>(parameters)),
          isNull_(static_cast<std::size_t>(parameters), true) {}

    ~PostgresStatement() override {
        reset();
        // A statement that outlives its borrow only while the connection is open is one
        // prepared for a single use (store/Connection.h): free it on the server too.
        if (PQstatus(connection_.handle()) == CONNECTION_OK && !connection_.closing())
            PQclear(PQexec(connection_.handle(), ("DEALLOCATE " + name_).c_str()));
    }

    void bindText(int index, std::string_view text) override {
        auto& slot = at(index);
        slot.assign(text);
        isNull_[static_cast<std::size_t>(index - 1)] = false;
    }
    void bindInteger(int index, std::int64_t value) override {
        bindText(index, std::to_string(value));
    }
    void bindNull(int index) override {
        at(index);
        isNull_[static_cast<std::size_t>(index - 1)] = true;
    }

    bool step() override {
        if (!result_) {
            std::vector<const char*> values(values_.size());
            for (std::size_t i = 0; i < values_.size(); ++i)
                values[i] = isNull_[i] ? nullptr : values_[i].c_str();
            result_.reset(connection_.check(PQexecPrepared(connection_.handle(), name_.c_str(),
                                                           static_cast<int>(values.size()),
                                                           values.data(), nullptr, nullptr, 0),
                                            name_));
            connection_.noteChanges(result_.get());
            row_ = -1;
        }
        return ++row_ < PQntuples(result_.get());
    }

    std::string_view text(int column) const override {
        return {PQgetvalue(result_.get(), row_, column),
                static_cast<std::size_t>(PQgetlength(result_.get(), row_, column))};
    }
    std::int64_t integer(int column) const override {
        auto value = text(column);
        if (value == "t") return 1; // a boolean (EXISTS, comparisons)
        if (value == "f") return 0;
        std::int64_t number = 0;
        std::from_chars(value.data(), value.data() + value.size(), number);
        return number;
    }
    bool isNull(int column) const override { return PQgetisnull(result_.get(), row_, column) != 0; }

    void reset() override {
        result_.reset();
        row_ = -1;
        std::fill(isNull_.begin(), isNull_.end(), true);
    }

private:
    std::string& at(int index) {
        if (index < 1 || static_cast<std::size_t>(index) > values_.size())
            throw std::out_of_range("no placeholder " + std::to_string(index) + " in " + name_);
        return values_[static_cast<std::size_t>(index - 1)];
    }

    PostgresConnection& connection_;
    std::string name_;
    std::vector<std::string> values_;
    std::vector<bool> isNull_;
    Result result_;
    int row_ = -1;
};

Poco::Data::Session open(const std::string& url) {
    try {
        return Poco::Data::Session("PostgreSQL", PostgresConnection::connectionString(url),
                                   kLoginTimeoutSeconds);
    } catch (const Poco::Exception& e) {
        throw DatabaseBusy("cannot connect to PostgreSQL: " + e.displayText());
    }
}

PGconn* handleOf(Poco::Data::Session& session) {
    auto* impl = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(session.impl());
    if (!impl) throw std::logic_error("not a PostgreSQL session");
    return impl->handle();
}

} // namespace

std::string PostgresConnection::connectionString(const std::string& url) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
    if (!options) {
        std::string message = error ? error : "out of memory";
        PQfreemem(error);
        while (!message.empty() && message.back() == '\n')
            message.pop_back();
        throw std::invalid_argument("invalid PostgreSQL URL: " + message);
    }
    std::string result;
    for (auto* option = options; option->keyword; ++option) {
        if (!option->val) continue;
        std::string value;
        for (char c : std::string_view{option->val}) {
            if (c == '\\' || c == '\'') value += '\\';
            value += c;
        }
        if (!result.empty()) result += ' ';
        result += std::string(option->keyword) + "='" + value + "'";
    }
    PQconninfoFree(options);
    return result;
}

std::string PostgresConnection::numberPlaceholders(std::string_view sql, int& count) {
    std::string out;
    out.reserve(sql.size() + 16);
    int next = 1;
    char quote = 0; // inside '…' or "…"
    for (char c : sql) {
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?') {
            out += '$' + std::to_string(next++);
            continue;
        }
        out += c;
    }
    count = next - 1;
    return out;
}

PostgresConnection::PostgresConnection(const std::string& url, Mode mode)
    : session_(open(url)), handle_(handleOf(session_)) {
    // Notices (a table that already exists, …) are for a person at psql, not for the log.
    PQsetNoticeProcessor(
        handle_, [](void*, const char*) {}, nullptr);
    if (mode == Mode::ReadOnly) execScript("SET default_transaction_read_only = on");
}

PostgresConnection::~PostgresConnection() {
    closing_ = true;
    forgetStatements();
}

PGresult* PostgresConnection::check(PGresult* raw, std::string_view what) {
    Result result(raw);
    auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result.release();
    std::string message = result ? PQresultErrorMessage(result.get()) : PQerrorMessage(handle_);
    while (!message.empty() && message.back() == '\n')
        message.pop_back();
    const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    std::string_view code = state ? state : "";
    if (code.starts_with("23")) throw ConstraintViolation(message);
    // Serialization failures and deadlocks are broken on purpose by the server, a lost
    // connection is reopened by the store: either way a retry may succeed.
    if (code == "40001" || code == "40P01" || code == "55P03" || code.starts_with("08") ||
        code.starts_with("57P") || PQstatus(handle_) != CONNECTION_OK)
        throw DatabaseBusy(message);
    throw Poco::Data::DataException(message, std::string{what});
}

void PostgresConnection::noteChanges(PGresult* result) noexcept {
    std::int64_t rows = 0;
    std::string_view tuples = PQcmdTuples(result);
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), rows);
    changes_ = rows;
}

std::unique_ptr<PreparedStatement> PostgresConnection::compile(std::string_view sql) {
    int parameters = 0;
    auto numbered = numberPlaceholders(sql, parameters);
    auto name = "s" + std::to_string(++prepared_);
    Result result(check(PQprepare(handle_, name.c_str(), numbered.c_str(), 0, nullptr), numbered));
    return std::make_unique<PostgresStatement>(*this, std::move(name), parameters);
}

void PostgresConnection::execScript(std::string_view sql) {
    Result result(check(PQexec(handle_, std::string{sql}.c_str()), sql));
    noteChanges(result.get());
}

bool PostgresConnection::broken() const noexcept {
    return PQstatus(handle_) != CONNECTION_OK;
}

} // namespace maestro::host::store
