// The driver of a fuzz target outside libFuzzer: runs LLVMFuzzerTestOneInput once for every file
// named on the command line, and for every file in every folder named there. The test suite runs
// each target over its checked-in corpus this way with the ordinary compiler, so every input a
// fuzzer once crashed on stays a test.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

} // namespace

int main(int argc, char** argv) {
    std::size_t inputs = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path path(argv[i]);
        if (!std::filesystem::is_directory(path)) {
            run(path);
            ++inputs;
            continue;
        }
        for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
            if (!entry.is_regular_file()) continue;
            run(entry.path());
            ++inputs;
        }
    }
    std::cout << inputs << " inputs ran\n";
    return inputs > 0 ? 0 : 1; // an empty corpus is a broken test, not a passing one
}
