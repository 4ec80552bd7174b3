#pragma once

#include "activity/Screen.h"
#include "domain/Activity.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace Poco {
class RegularExpression;
}

namespace maestro::host::activity {

// The generic patterns every profile without needsInputPatterns of its own uses: yes/no
// questions, "Do you want to proceed?", "Press Enter to continue", password prompts.
const std::vector<std::string>& genericNeedsInputPatterns();

// How a session's activity is judged from its terminal (an agent profile's keys in
// config.json; docs/sessions.md, "Activity").
struct ActivityRules {
    // Regular expressions (PCRE) over the screen's last lines; a match means the agent waits
    // for a person.
    std::vector<std::string> needsInputPatterns = genericNeedsInputPatterns();
    // How many rows the patterns look at, ending at the cursor's row (or the last row with text
    // below it): 1 for a line-oriented prompt (the cursor waits after it), more for an agent that
    // draws a dialog.
    int needsInputLines = 1;
    std::chrono::milliseconds idleAfter{10000};    // quiet this long → idle
    std::chrono::milliseconds startTimeout{30000}; // no output at all this long → stalled
};

// The compiled needsInputPatterns. Throws std::runtime_error naming a pattern that does not
// compile.
class PromptMatcher {
public:
    PromptMatcher(const std::vector<std::string>& patterns, int lines);
    ~PromptMatcher();
    PromptMatcher(PromptMatcher&&) noexcept;
    PromptMatcher& operator=(PromptMatcher&&) noexcept;

    // The first line of the window that a pattern matches (trimmed), if any.
    std::optional<std::string> match(const Screen& screen) const;

private:
    std::vector<std::unique_ptr<Poco::RegularExpression>> patterns_;
    int lines_;
};

// What the monitor knows about a session at one moment.
struct Observation {
    // What the agent or its hooks said and still holds (needs_input, idle), if anything.
    std::optional<domain::ActivityState> held;
    std::optional<std::string> prompt; // the screen asks (PromptMatcher)
    bool anyOutput = false;
    std::chrono::milliseconds sinceStart{0};
    std::chrono::milliseconds sinceSign{0}; // since the last output, input or report
};

// The activity an observation means (since is left for the caller), in order of trust: what
// the agent holds, the screen's prompt, then output and time.
domain::ActivityState decide(const Observation& seen, const ActivityRules& rules);

} // namespace maestro::host::activity
