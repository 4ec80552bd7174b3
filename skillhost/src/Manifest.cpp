#include "skillhost/Manifest.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <algorithm>
#include <charconv>
#include <maestro/skill_abi.h>
#include <map>
#include <set>

namespace maestro::skillhost {

namespace {

bool isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

std::string unquote(std::string_view text) {
    text = trim(text);
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') &&
        text.back() == text.front()) {
        text = text.substr(1, text.size() - 2);
    }
    return std::string(text);
}

// Reads a field that must be a string if present.
std::optional<std::string> stringField(const Poco::JSON::Object& object, const std::string& key,
                                       const std::string& where) {
    if (!object.has(key) || object.isNull(key)) return std::nullopt;
    const auto value = object.get(key);
    if (!value.isString()) throw SkillError(where + ": \"" + key + "\" must be a string");
    return value.extract<std::string>();
}

std::string requiredString(const Poco::JSON::Object& object, const std::string& key,
                           const std::string& where) {
    auto value = stringField(object, key, where);
    if (!value || value->empty()) {
        throw SkillError(where + ": \"" + key + "\" is required (a non-empty string)");
    }
    return *value;
}

std::vector<std::string> rolesField(const Poco::JSON::Object& object, const std::string& where) {
    const auto array = object.getArray("roles");
    if (!array || array->size() == 0) {
        throw SkillError(where + ": \"roles\" is required (an array of role names, \"*\" for "
                                 "every role)");
    }
    std::vector<std::string> roles;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto value = array->get(static_cast<unsigned>(i));
        if (!value.isString() || value.extract<std::string>().empty()) {
            throw SkillError(where + ": \"roles\" must hold non-empty strings");
        }
        roles.push_back(value.extract<std::string>());
    }
    return roles;
}

std::vector<ManifestCommand> commandsField(const Poco::JSON::Object& object,
                                           const std::string& where) {
    std::vector<ManifestCommand> commands;
    if (!object.has("commands")) return commands;
    const auto array = object.getArray("commands");
    if (!array) throw SkillError(where + ": \"commands\" must be an array");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto entry = array->getObject(static_cast<unsigned>(i));
        const std::string at = where + ": commands[" + std::to_string(i) + "]";
        if (!entry) throw SkillError(at + " must be an object {name, summary}");
        ManifestCommand command{requiredString(*entry, "name", at),
                                stringField(*entry, "summary", at).value_or("")};
        if (!isValidCommandPath(command.name)) {
            throw SkillError(at + ": \"" + command.name +
                             "\" is not a command path (lowercase words separated by "
                             "single spaces, e.g. \"worker init\")");
        }
        if (!seen.insert(command.name).second) {
            throw SkillError(where + ": command \"" + command.name + "\" is declared twice");
        }
        commands.push_back(std::move(command));
    }
    return commands;
}

void checkAbi(const std::string& abi, const std::string& where) {
    const auto parsed = parseAbiVersion(abi);
    if (!parsed) {
        throw SkillError(where + ": \"abi\" must look like \"1.0\", not \"" + abi + "\"");
    }
    const AbiVersion host = hostAbi();
    if (parsed->major != host.major || parsed->minor > host.minor) {
        throw SkillError(where + ": skill ABI " + abi + " is not supported by this host (" +
                         toString(host) + ")");
    }
}

struct FrontMatter {
    std::map<std::string, std::string> scalars;
    std::map<std::string, std::vector<std::string>> lists;
};

std::vector<std::string> inlineList(std::string_view text) {
    std::vector<std::string> items;
    text = trim(text);
    text = text.substr(1, text.size() - 2); // drop [ ]
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string item = unquote(text.substr(0, comma));
        if (!item.empty()) items.push_back(item);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return items;
}

// The subset of YAML that Agent-Skills front matter uses: `key: value`, quoted values, inline
// `[a, b]` lists, block lists of `- item`, and folded (>) or literal (|) multi-line scalars.
FrontMatter parseFrontMatter(const std::vector<std::string_view>& lines) {
    FrontMatter result;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        if (trim(line).empty() || trim(line).front() == '#') continue;
        if (line.front() == ' ' || line.front() == '\t') continue; // nested: not ours
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            throw SkillError("SKILL.md: front matter line \"" + std::string(line) +
                             "\" is not \"key: value\"");
        }
        const std::string key(trim(line.substr(0, colon)));
        const std::string_view value = trim(line.substr(colon + 1));
        if (!value.empty() && value.front() == '[' && value.back() == ']') {
            result.lists[key] = inlineList(value);
            continue;
        }
        const bool block = value.empty() || value.front() == '>' || value.front() == '|';
        if (!block) {
            result.scalars[key] = unquote(value);
            continue;
        }
        const bool literal = !value.empty() && value.front() == '|';
        std::string text;
        std::vector<std::string> items;
        while (i + 1 < lines.size() &&
               (lines[i + 1].empty() || lines[i + 1].front() == ' ' ||
                lines[i + 1].front() == '\t' || lines[i + 1].front() == '-')) {
            const std::string_view next = trim(lines[++i]);
            if (next.starts_with("- ") && !literal && value.empty()) {
                items.push_back(unquote(next.substr(2)));
            } else if (!next.empty()) {
                if (!text.empty()) text += literal ? '\n' : ' ';
                text += next;
            }
        }
        if (!items.empty())
            result.lists[key] = std::move(items);
        else
            result.scalars[key] = std::move(text);
    }
    return result;
}

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const auto newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(line);
        if (newline == std::string_view::npos) break;
        text.remove_prefix(newline + 1);
    }
    return lines;
}

// Index of the closing "---" line of front matter, or 0 when there is no front matter.
std::size_t frontMatterEnd(const std::vector<std::string_view>& lines) {
    if (lines.empty() || trim(lines[0]) != "---") return 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (trim(lines[i]) == "---") return i;
    }
    return 0;
}

} // namespace

AbiVersion hostAbi() {
    return AbiVersion{MAESTRO_ABI_MAJOR, MAESTRO_ABI_MINOR};
}

std::string toString(AbiVersion abi) {
    return std::to_string(abi.major) + "." + std::to_string(abi.minor);
}

std::optional<AbiVersion> parseAbiVersion(std::string_view text) {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return std::nullopt;
    AbiVersion abi;
    const char* end = text.data() + text.size();
    auto [majorEnd, majorError] = std::from_chars(text.data(), text.data() + dot, abi.major);
    auto [minorEnd, minorError] = std::from_chars(text.data() + dot + 1, end, abi.minor);
    if (majorError != std::errc{} || minorError != std::errc{} || majorEnd != text.data() + dot ||
        minorEnd != end) {
        return std::nullopt;
    }
    return abi;
}

bool rolesInclude(const std::vector<std::string>& roles, std::string_view role) {
    return std::any_of(roles.begin(), roles.end(),
                       [&](const std::string& r) { return r == "*" || r == role; });
}

bool Manifest::appliesTo(std::string_view role) const {
    return rolesInclude(roles, role);
}

bool Manifest::declaresCommand(std::string_view path) const {
    return std::any_of(commands.begin(), commands.end(),
                       [&](const ManifestCommand& c) { return c.name == path; });
}

bool isValidSkillId(std::string_view id) {
    if (id.empty() || id.size() > 64 || !isLowerAlnum(id.front())) return false;
    return std::all_of(id.begin(), id.end(),
                       [](char c) { return isLowerAlnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool isValidCommandPath(std::string_view path) {
    bool wordStart = true;
    for (const char c : path) {
        if (c == ' ') {
            if (wordStart) return false; // leading or double space
            wordStart = true;
        } else if (isLowerAlnum(c) || (c == '-' && !wordStart)) {
            wordStart = false;
        } else {
            return false;
        }
    }
    return !wordStart; // non-empty, no trailing space
}

Manifest parseManifestJson(std::string_view json, const std::filesystem::path& dir) {
    const std::string where = "manifest.json";
    Poco::JSON::Object::Ptr object;
    try {
        Poco::JSON::Parser parser;
        const auto parsed = parser.parse(std::string(json));
        object = parsed.type() == typeid(Poco::JSON::Object::Ptr)
                     ? parsed.extract<Poco::JSON::Object::Ptr>()
                     : nullptr;
    } catch (const Poco::Exception& e) {
        throw SkillError(where + ": not valid JSON: " + e.displayText());
    }
    if (!object) throw SkillError(where + ": must be a JSON object");

    Manifest manifest;
    manifest.dir = dir;
    try {
        manifest.id = requiredString(*object, "id", where);
        if (!isValidSkillId(manifest.id)) {
            throw SkillError(where + ": id \"" + manifest.id +
                             "\" must be lowercase letters, digits, '.', '_' or '-' (≤ 64)");
        }
        manifest.name = requiredString(*object, "name", where);
        manifest.version = requiredString(*object, "version", where);
        manifest.description = stringField(*object, "description", where).value_or("");
        manifest.roles = rolesField(*object, where);
        manifest.library = stringField(*object, "library", where).value_or("");
        manifest.abi = stringField(*object, "abi", where).value_or("");
        manifest.commands = commandsField(*object, where);
    } catch (const Poco::Exception& e) {
        throw SkillError(where + ": " + e.displayText()); // e.g. a wrongly typed array
    }

    if (!manifest.library.empty()) {
        if (manifest.library.find('/') != std::string::npos || manifest.library == "." ||
            manifest.library == "..") {
            throw SkillError(where +
                             ": \"library\" must be a file name inside the skill "
                             "folder, not \"" +
                             manifest.library + "\"");
        }
        if (manifest.abi.empty()) {
            throw SkillError(where + ": \"abi\" is required when \"library\" is set");
        }
    } else if (!manifest.commands.empty()) {
        throw SkillError(where + ": commands need a \"library\" that implements them");
    }
    if (!manifest.abi.empty()) checkAbi(manifest.abi, where);
    return manifest;
}

Manifest parseAgentSkill(std::string_view skillMd, const std::filesystem::path& dir) {
    const auto lines = splitLines(skillMd);
    const std::size_t end = frontMatterEnd(lines);
    if (end == 0) {
        throw SkillError("SKILL.md: needs YAML front matter between \"---\" lines with at "
                         "least name and description");
    }
    const FrontMatter front =
        parseFrontMatter(std::vector<std::string_view>(lines.begin() + 1, lines.begin() + end));
    const auto scalar = [&](const std::string& key) {
        const auto it = front.scalars.find(key);
        return it == front.scalars.end() ? std::string() : it->second;
    };

    Manifest manifest;
    manifest.format = ManifestFormat::AgentSkill;
    manifest.dir = dir;
    manifest.id = scalar("name");
    if (manifest.id.empty()) throw SkillError("SKILL.md: front matter needs \"name\"");
    if (!isValidSkillId(manifest.id)) {
        throw SkillError("SKILL.md: name \"" + manifest.id +
                         "\" must be lowercase letters, digits, '.', '_' or '-' (≤ 64)");
    }
    manifest.name = manifest.id;
    manifest.description = scalar("description");
    if (manifest.description.empty()) {
        throw SkillError("SKILL.md: front matter needs \"description\"");
    }
    manifest.version = scalar("version").empty() ? "0.0.0" : scalar("version");
    if (const auto roles = front.lists.find("roles"); roles != front.lists.end()) {
        manifest.roles = roles->second;
    } else if (!scalar("roles").empty()) {
        manifest.roles = {scalar("roles")};
    } else {
        manifest.roles = {"*"};
    }
    return manifest;
}

std::string stripFrontMatter(std::string_view markdown) {
    const auto lines = splitLines(markdown);
    const std::size_t end = frontMatterEnd(lines);
    if (end == 0) return std::string(markdown);
    // Skip past the closing "---" line, then past blank lines that only separated it.
    std::size_t offset = 0;
    for (std::size_t i = 0; i <= end; ++i) {
        offset = static_cast<std::size_t>(lines[i].data() - markdown.data()) + lines[i].size();
        if (offset < markdown.size() && markdown[offset] == '\r') ++offset;
        if (offset < markdown.size() && markdown[offset] == '\n') ++offset;
    }
    std::string_view body = markdown.substr(offset);
    while (body.starts_with("\n") || body.starts_with("\r\n")) {
        body.remove_prefix(body.front() == '\n' ? 1 : 2);
    }
    return std::string(body);
}

} // namespace maestro::skillhost
