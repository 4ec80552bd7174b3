#include "Output.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ostream>
#include <unistd.h>

namespace maestro::cli {

namespace {

const char* ansi(Colour colour) {
    switch (colour) {
    case Colour::Bold:
        return "\033[1m";
    case Colour::Dim:
        return "\033[2m";
    case Colour::Red:
        return "\033[31m";
    case Colour::Green:
        return "\033[32m";
    case Colour::Yellow:
        return "\033[33m";
    case Colour::Blue:
        return "\033[34m";
    case Colour::Cyan:
        return "\033[36m";
    }
    return "";
}

void pad(std::ostream& out, std::size_t width, std::size_t used) {
    for (std::size_t i = used; i < width; ++i)
        out.put(' ');
}

} // namespace

std::string Style::paint(std::string_view text, Colour colour) const {
    if (!enabled_ || text.empty()) return std::string(text);
    std::string painted = ansi(colour);
    painted += text;
    painted += "\033[0m";
    return painted;
}

std::string Style::status(std::string_view text) const {
    if (text == "blocked" || text == "failed") return paint(text, Colour::Red);
    if (text == "completed") return paint(text, Colour::Green);
    if (text == "in_progress" || text == "running" || text == "working" || text == "spawning")
        return paint(text, Colour::Yellow);
    if (text == "cancelled" || text == "stopped") return paint(text, Colour::Dim);
    return std::string(text);
}

bool colourWanted(int fd) {
    const char* noColour = std::getenv("NO_COLOR");
    if (noColour && *noColour) return false;
    const char* term = std::getenv("TERM");
    if (term && std::strcmp(term, "dumb") == 0) return false;
    return ::isatty(fd) == 1;
}

std::size_t displayWidth(std::string_view utf8) noexcept {
    std::size_t width = 0;
    for (unsigned char c : utf8)
        if ((c & 0xC0) != 0x80) ++width; // count lead bytes, not continuation bytes
    return width;
}

void TextOut::line(std::string_view text) {
    out_ << text << '\n';
}

void TextOut::fields(const std::vector<std::pair<std::string, std::string>>& rows) {
    std::size_t width = 0;
    for (const auto& [label, value] : rows)
        if (!value.empty()) width = std::max(width, displayWidth(label) + 1);
    for (const auto& [label, value] : rows) {
        if (value.empty()) continue;
        out_ << style_.paint(label + ":", Colour::Bold);
        pad(out_, width + 2, displayWidth(label) + 1);
        // Continuation lines of a multi-line value stay in the value column.
        std::size_t start = 0;
        while (true) {
            auto end = value.find('\n', start);
            out_ << std::string_view(value).substr(start,
                                                   end == std::string::npos ? end : end - start)
                 << '\n';
            if (end == std::string::npos || end + 1 >= value.size()) break;
            start = end + 1;
            pad(out_, width + 2, 0);
        }
    }
}

void TextOut::table(const std::vector<std::string>& headers,
                    const std::vector<std::vector<std::string>>& rows, const Painter& paint) {
    std::vector<std::size_t> widths(headers.size(), 0);
    for (std::size_t c = 0; c < headers.size(); ++c)
        widths[c] = displayWidth(headers[c]);
    for (const auto& row : rows)
        for (std::size_t c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = std::max(widths[c], displayWidth(row[c]));

    const auto emit = [&](const std::vector<std::string>& cells, bool header) {
        for (std::size_t c = 0; c < headers.size(); ++c) {
            const std::string& cell = c < cells.size() ? cells[c] : std::string();
            if (header)
                out_ << style_.paint(cell, Colour::Bold);
            else
                out_ << (paint ? paint(c, cell) : cell);
            if (c + 1 < headers.size()) pad(out_, widths[c] + 2, displayWidth(cell));
        }
        out_ << '\n';
    };
    emit(headers, true);
    for (const auto& row : rows)
        emit(row, false);
}

void Output::result(const Result& result) {
    if (result.streamed) return;
    if (options_.json) {
        out_ << result.json << '\n';
    } else if (options_.quiet) {
        for (const auto& id : result.ids)
            out_ << id << '\n';
    } else if (result.text) {
        TextOut text(out_, Style(options_.colour));
        result.text(text);
    }
    out_.flush();
}

void Output::error(const CliError& error) {
    if (options_.json) {
        out_ << error.document() << '\n';
        out_.flush();
        return;
    }
    Style style(options_.errorColour);
    err_ << style.paint("error:", Colour::Red) << ' ' << error.what();
    if (error.exitCode() == kExitRefused || error.statusCode() >= 500)
        err_ << style.paint(" (" + error.code() + ", HTTP " + std::to_string(error.statusCode()) +
                                ")",
                            Colour::Dim);
    err_ << '\n';
    if (error.exitCode() == kExitUsage) err_ << "Run 'maestro --help' for usage.\n";
    if (options_.verbose) err_ << error.document() << '\n';
    err_.flush();
}

bool Output::streamItem(const std::string& json, const std::function<void(TextOut&)>& text) {
    if (options_.json) {
        out_ << json << '\n';
    } else if (text) {
        TextOut out(out_, Style(options_.colour));
        text(out);
    }
    out_.flush();
    return static_cast<bool>(out_);
}

void Output::note(std::string_view line) {
    if (options_.quiet) return;
    err_ << line << '\n';
    err_.flush();
}

void Output::debug(std::string_view line) {
    if (!options_.verbose) return;
    err_ << Style(options_.errorColour).paint(line, Colour::Dim) << '\n';
    err_.flush();
}

} // namespace maestro::cli
