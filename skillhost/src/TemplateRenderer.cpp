#include "skillhost/TemplateRenderer.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <algorithm>
#include <charconv>
#include <sstream>

namespace maestro::skillhost {

using Poco::Dynamic::Var;

struct Template::Node {
    enum class Kind { Text, Value, Section, InvertedSection };
    Kind kind = Kind::Text;
    std::string text; // literal text, or the path of a value or section
    std::vector<Node> children;
};

namespace {

using Node = Template::Node;

bool isBlank(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

bool isValidPath(std::string_view path) {
    if (path == ".") return true;
    if (path.empty() || path.front() == '.' || path.back() == '.') return false;
    return std::all_of(path.begin(), path.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

// Sections nest at most this deep: parsing, rendering and freeing a template recurse once per
// level, and a template (a skill's file, or any text a skill passes to render_template) must not
// be able to run the host out of stack.
constexpr std::size_t kMaxNesting = 100;

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    std::vector<Node> parse() {
        std::vector<Node> root;
        std::vector<std::vector<Node>*> open{&root};
        std::vector<std::string> openNames;
        std::size_t pos = 0;
        while (pos < text_.size()) {
            const std::size_t tagStart = text_.find("{{", pos);
            if (tagStart == std::string_view::npos) {
                addText(*open.back(), text_.substr(pos));
                break;
            }
            const std::size_t tagEnd = text_.find("}}", tagStart + 2);
            if (tagEnd == std::string_view::npos) fail(tagStart, "\"{{\" without \"}}\"");
            const std::string tag = trimmed(text_.substr(tagStart + 2, tagEnd - tagStart - 2));
            if (tag.empty()) fail(tagStart, "empty tag {{}}");
            const char sigil = tag.front();
            const bool structural = sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!';
            const std::string name = structural ? trimmed(std::string_view(tag).substr(1)) : tag;

            // A structural tag alone on its line swallows that line.
            std::size_t textEnd = tagStart;
            std::size_t next = tagEnd + 2;
            if (structural) {
                const std::size_t lineStart =
                    tagStart == 0 ? 0 : text_.rfind('\n', tagStart - 1) + 1; // npos+1 == 0
                std::size_t lineEnd = text_.find('\n', next);
                if (lineEnd == std::string_view::npos) lineEnd = text_.size();
                if (lineStart >= pos && isBlank(text_.substr(lineStart, tagStart - lineStart)) &&
                    isBlank(text_.substr(next, lineEnd - next))) {
                    textEnd = lineStart;
                    next = std::min(lineEnd + 1, text_.size());
                }
            }
            addText(*open.back(), text_.substr(pos, textEnd - pos));
            pos = next;

            if (sigil == '!') continue;
            if (!isValidPath(name)) fail(tagStart, "\"" + name + "\" is not a value path");
            if (sigil == '#' || sigil == '^') {
                if (openNames.size() == kMaxNesting) {
                    fail(tagStart, "sections nested deeper than " + std::to_string(kMaxNesting));
                }
                Node section{
                    sigil == '#' ? Node::Kind::Section : Node::Kind::InvertedSection, name, {}};
                open.back()->push_back(std::move(section));
                open.push_back(&open.back()->back().children);
                openNames.push_back(name);
            } else if (sigil == '/') {
                if (openNames.empty()) fail(tagStart, "{{/" + name + "}} closes nothing");
                if (openNames.back() != name) {
                    fail(tagStart, "{{/" + name + "}} closes {{#" + openNames.back() + "}}");
                }
                open.pop_back();
                openNames.pop_back();
            } else {
                open.back()->push_back(Node{Node::Kind::Value, name, {}});
            }
        }
        if (!openNames.empty()) {
            throw SkillError("template: section {{#" + openNames.back() + "}} is not closed");
        }
        return root;
    }

private:
    static void addText(std::vector<Node>& nodes, std::string_view text) {
        if (!text.empty()) nodes.push_back(Node{Node::Kind::Text, std::string(text), {}});
    }

    [[noreturn]] void fail(std::size_t offset, const std::string& problem) const {
        const auto line = 1 + std::count(text_.begin(), text_.begin() + offset, '\n');
        throw SkillError("template line " + std::to_string(line) + ": " + problem);
    }

    std::string_view text_;
};

bool isObject(const Var& value) {
    return value.type() == typeid(Poco::JSON::Object::Ptr);
}
bool isArray(const Var& value) {
    return value.type() == typeid(Poco::JSON::Array::Ptr);
}

Var child(const Var& scope, std::string_view key) {
    if (isObject(scope)) {
        const auto& object = scope.extract<Poco::JSON::Object::Ptr>();
        const std::string name(key);
        if (object && object->has(name)) return object->get(name);
    } else if (isArray(scope) && key == "length") {
        // As in JavaScript Mustache: `{{#items.length}}` is a condition that pushes no item.
        return static_cast<int>(scope.extract<Poco::JSON::Array::Ptr>()->size());
    } else if (isArray(scope)) {
        // An index is digits only; one too large for a number is no item, like any other miss.
        std::size_t index = 0;
        const auto* end = key.data() + key.size();
        const auto [stop, error] = std::from_chars(key.data(), end, index);
        const auto& array = scope.extract<Poco::JSON::Array::Ptr>();
        if (error == std::errc{} && stop == end && array && index < array->size())
            return array->get(static_cast<unsigned>(index));
    }
    return {};
}

bool hasChild(const Var& scope, std::string_view key) {
    return isObject(scope) && scope.extract<Poco::JSON::Object::Ptr>()->has(std::string(key));
}

// Mustache lookup: the first segment is searched from the innermost scope outwards.
Var lookup(const std::vector<Var>& scopes, std::string_view path) {
    if (path == ".") return scopes.back();
    const auto dot = path.find('.');
    const std::string_view first = path.substr(0, dot);
    Var value;
    for (auto scope = scopes.rbegin(); scope != scopes.rend(); ++scope) {
        if (hasChild(*scope, first)) {
            value = child(*scope, first);
            break;
        }
    }
    std::string_view rest = dot == std::string_view::npos ? "" : path.substr(dot + 1);
    while (!rest.empty() && !value.isEmpty()) {
        const auto next = rest.find('.');
        value = child(value, rest.substr(0, next));
        rest = next == std::string_view::npos ? "" : rest.substr(next + 1);
    }
    return value;
}

bool truthy(const Var& value) {
    if (value.isEmpty()) return false;
    if (isArray(value)) return value.extract<Poco::JSON::Array::Ptr>()->size() > 0;
    if (isObject(value)) return true;
    if (value.isBoolean()) return value.extract<bool>();
    if (value.isString()) return !value.extract<std::string>().empty();
    if (value.isNumeric()) return value.convert<double>() != 0.0;
    return true;
}

std::string toText(const Var& value) {
    if (value.isEmpty()) return {};
    if (value.isString()) return value.extract<std::string>();
    if (isObject(value) || isArray(value)) {
        std::ostringstream json;
        Poco::JSON::Stringifier::condense(value, json);
        return json.str();
    }
    if (value.isBoolean()) return value.extract<bool>() ? "true" : "false";
    return value.convert<std::string>();
}

void renderNodes(const std::vector<Node>& nodes, std::vector<Var>& scopes, std::string& out) {
    for (const auto& node : nodes) {
        switch (node.kind) {
        case Node::Kind::Text:
            out += node.text;
            break;
        case Node::Kind::Value:
            out += toText(lookup(scopes, node.text));
            break;
        case Node::Kind::InvertedSection:
            if (!truthy(lookup(scopes, node.text))) renderNodes(node.children, scopes, out);
            break;
        case Node::Kind::Section: {
            const Var value = lookup(scopes, node.text);
            if (!truthy(value)) break;
            if (isArray(value)) {
                const auto& array = value.extract<Poco::JSON::Array::Ptr>();
                for (std::size_t i = 0; i < array->size(); ++i) {
                    scopes.push_back(array->get(static_cast<unsigned>(i)));
                    renderNodes(node.children, scopes, out);
                    scopes.pop_back();
                }
            } else {
                scopes.push_back(value);
                renderNodes(node.children, scopes, out);
                scopes.pop_back();
            }
            break;
        }
        }
    }
}

} // namespace

Template Template::parse(std::string_view text) {
    Template result;
    result.nodes_ = std::make_shared<const std::vector<Node>>(Parser(text).parse());
    return result;
}

std::string Template::render(const Var& context) const {
    std::string out;
    std::vector<Var> scopes{context};
    if (nodes_) renderNodes(*nodes_, scopes, out);
    return out;
}

Var parseContextJson(std::string_view json) {
    if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return Poco::JSON::Object::Ptr(new Poco::JSON::Object);
    }
    try {
        Poco::JSON::Parser parser;
        return parser.parse(std::string(json));
    } catch (const Poco::Exception& e) {
        throw SkillError("context is not valid JSON: " + e.displayText());
    }
}

std::string renderTemplate(std::string_view text, std::string_view contextJson) {
    return Template::parse(text).render(parseContextJson(contextJson));
}

} // namespace maestro::skillhost
