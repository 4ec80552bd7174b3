#pragma once

#include "CliError.h"

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace maestro::cli {

enum class Colour { Bold, Dim, Red, Green, Yellow, Blue, Cyan };

// ANSI styling, or none at all.
class Style {
public:
    explicit Style(bool enabled = false) : enabled_(enabled) {}
    bool enabled() const noexcept { return enabled_; }
    std::string paint(std::string_view text, Colour colour) const;
    // A task or session status in its colour: blocked/failed red, completed green, …
    std::string status(std::string_view text) const;

private:
    bool enabled_;
};

// True when output to `fd` may be coloured: a terminal, NO_COLOR unset, TERM not "dumb".
bool colourWanted(int fd);

// Columns on a terminal: UTF-8 code points, so non-ASCII titles still line up.
std::size_t displayWidth(std::string_view utf8) noexcept;

// The human rendering of a result.
class TextOut {
public:
    TextOut(std::ostream& out, Style style) : out_(out), style_(style) {}

    const Style& style() const noexcept { return style_; }
    std::ostream& stream() noexcept { return out_; }
    void line(std::string_view text = {});

    // "label:  value" rows, values aligned; rows with an empty value are left out.
    void fields(const std::vector<std::pair<std::string, std::string>>& rows);

    // A table: a header row and the cells padded to the widest in their column (the last column
    // is not padded). `paint` may colour a cell; it gets the column index and the cell's text and
    // returns what to print in place of that text.
    using Painter = std::function<std::string(std::size_t column, const std::string& cell)>;
    void table(const std::vector<std::string>& headers,
               const std::vector<std::vector<std::string>>& rows, const Painter& paint = nullptr);

private:
    std::ostream& out_;
    Style style_;
};

// What a command produced. One value, two renderings: `json` is printed verbatim with --json
// (exactly one document), `text` otherwise; `ids` is all that -q prints.
struct Result {
    std::string json;
    std::function<void(TextOut&)> text;
    std::vector<std::string> ids;
    int exitCode = kExitOk;
    bool streamed = false; // already written item by item (events --follow, session attach)
};

struct OutputOptions {
    bool json = false;
    bool quiet = false;
    bool verbose = false;
    bool colour = false;      // stdout
    bool errorColour = false; // stderr
};

// The one place that writes: results to stdout, diagnostics to stderr.
class Output {
public:
    Output(OutputOptions options, std::ostream& out, std::ostream& err)
        : options_(options), out_(out), err_(err) {}

    const OutputOptions& options() const noexcept { return options_; }
    void setOptions(const OutputOptions& options) { options_ = options; }

    void result(const Result& result);
    // With --json the error document on stdout (it is the command's one document); otherwise
    // "error: …" on stderr.
    void error(const CliError& error);
    // One item of a stream (events --follow, session attach): a JSON line or its text. False
    // when stdout is gone (the reader of a pipe quit), so the stream can end.
    bool streamItem(const std::string& json, const std::function<void(TextOut&)>& text);
    // A diagnostic for people, on stderr; -q silences it.
    void note(std::string_view line);
    // A diagnostic shown only with -v.
    void debug(std::string_view line);

    std::ostream& out() noexcept { return out_; }
    std::ostream& err() noexcept { return err_; }

private:
    OutputOptions options_;
    std::ostream& out_;
    std::ostream& err_;
};

} // namespace maestro::cli
