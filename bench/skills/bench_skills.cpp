// maestro_bench_skills [--copies N] [--runs N]
// Measures, over N runs, the median time to (1) discover and load N copies of a fixture skill
// (a SkillRegistry's rescan, library copy + dlopen + init included) and (2) list their manifests
// without loading anything (what the CLI does on every invocation). Targets for 100 skills:
// 50 ms and 5 ms.
#include "skillhost/Discovery.h"
#include "skillhost/SkillRegistry.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace maestro::skillhost;

class QuietHost : public HostServices {
public:
    void log(LogLevel, std::string_view, std::string_view) override {}
    std::optional<std::string> config(std::string_view) override { return std::nullopt; }
    ApiResponse callApi(std::string_view, std::string_view, std::string_view) override {
        return {503, "{}"};
    }
    std::string sessionContext() override { return "{}"; }
};

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeAll(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// Copy i of the fixture: "bench-000" becomes "bench-<i>" in the manifest and in the library's
// strings (same length), so every copy is a distinct skill with distinct commands.
void makeCopies(const fs::path& fixture, const fs::path& root, int copies) {
    const std::string manifest = readAll(fixture / "manifest.json");
    const std::string library = readAll(fixture / "fixture_bench.so");
    const std::string instructions = readAll(fixture / "skill.md");
    for (int i = 0; i < copies; ++i) {
        char id[32];
        std::snprintf(id, sizeof id, "bench-%03d", i);
        const fs::path dir = root / id;
        fs::create_directories(dir);
        writeAll(dir / "manifest.json", replaceAll(manifest, "bench-000", id));
        writeAll(dir / "fixture_bench.so", replaceAll(library, "bench-000", id));
        writeAll(dir / "skill.md", instructions);
        fs::permissions(dir / "fixture_bench.so",
                        fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec);
    }
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double millisecondsOf(const std::function<void()>& body) {
    const auto begin = std::chrono::steady_clock::now();
    body();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin)
        .count();
}

} // namespace

int main(int argc, char** argv) {
    int copies = 100;
    int runs = 21;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--copies")
            copies = std::atoi(argv[i + 1]);
        else if (option == "--runs")
            runs = std::atoi(argv[i + 1]);
    }
    if (copies < 1 || copies > 999 || runs < 1) {
        std::cerr << "usage: maestro_bench_skills [--copies 1..999] [--runs N]\n";
        return 64;
    }

    std::string pattern = (fs::temp_directory_path() / "maestro-bench-skills-XXXXXX").string();
    const fs::path work = ::mkdtemp(pattern.data());
    const fs::path root = work / "maestro-skills";
    makeCopies(MAESTRO_BENCH_FIXTURE_DIR, root, copies);
    auto services = std::make_shared<QuietHost>();

    std::vector<double> loads;
    std::vector<double> unloads;
    std::vector<double> lists;
    int loaded = 0;
    std::string firstReason;
    for (int run = 0; run < runs; ++run) {
        auto registry = std::make_unique<SkillRegistry>(
            services, RegistryOptions{{root}, work / "cache", true});
        loads.push_back(millisecondsOf([&] { registry->rescan(); }));
        const std::vector<SkillInfo> skills = registry->list();
        loaded = static_cast<int>(std::count_if(skills.begin(), skills.end(), [](const auto& info) {
            return info.status == SkillStatus::Loaded;
        }));
        for (const auto& info : skills) {
            if (firstReason.empty()) firstReason = info.reason;
        }
        unloads.push_back(millisecondsOf([&] { registry.reset(); }));

        std::size_t listed = 0;
        lists.push_back(millisecondsOf([&] { listed = listManifests({root}).size(); }));
        if (static_cast<int>(listed) != copies) {
            std::cerr << "listed " << listed << " manifests, expected " << copies << "\n";
            return 70;
        }
    }
    std::error_code ec;
    fs::remove_all(work, ec);

    if (loaded != copies) {
        std::cerr << "loaded " << loaded << " of " << copies << " skills: " << firstReason << "\n";
        return 70;
    }
    const double load = median(loads);
    const double list = median(lists);
    std::printf("skills: %d copies, %d runs, medians\n", copies, runs);
    std::printf("  discover + load %3d skills: %8.2f ms  (target <= 50 ms: %s)\n", copies, load,
                load <= 50 ? "ok" : "MISSED");
    std::printf("  unload %3d skills:          %8.2f ms\n", copies, median(unloads));
    std::printf("  list %3d manifests:         %8.2f ms  (target <= 5 ms: %s)\n", copies, list,
                list <= 5 ? "ok" : "MISSED");
    return 0;
}
