#pragma once

// The ABI objects the host implements and hands to a skill for one call: a maestro_writer that
// collects what the skill writes, and a maestro_error the skill may fill in.

#include <cstdint>
#include <functional>
#include <maestro/skill_abi.h>
#include <string>
#include <string_view>

namespace maestro::skillhost {

// A maestro_writer forwarding to a callable. Lives on the host's stack for the call.
class HostWriter {
public:
    explicit HostWriter(std::function<void(std::string_view)> sink) : sink_(std::move(sink)) {
        abi_.struct_size = sizeof(maestro_writer);
        abi_.context = this;
        abi_.write = &HostWriter::write;
    }
    HostWriter(const HostWriter&) = delete;
    HostWriter& operator=(const HostWriter&) = delete;
    const maestro_writer* abi() const noexcept { return &abi_; }

private:
    static std::int32_t write(const maestro_writer* writer, const char* data,
                              std::size_t size) noexcept {
        if (writer == nullptr || (data == nullptr && size != 0)) {
            return MAESTRO_ERR_INVALID_ARGUMENT;
        }
        try {
            static_cast<HostWriter*>(writer->context)->sink_(std::string_view(data, size));
            return MAESTRO_OK;
        } catch (...) {
            return MAESTRO_ERR_FAILED;
        }
    }

    maestro_writer abi_{};
    std::function<void(std::string_view)> sink_;
};

// A maestro_error for one call into a skill.
class ErrorSlot {
public:
    ErrorSlot() {
        abi_.struct_size = sizeof(maestro_error);
        abi_.context = this;
        abi_.set = &ErrorSlot::set;
    }
    ErrorSlot(const ErrorSlot&) = delete;
    ErrorSlot& operator=(const ErrorSlot&) = delete;
    maestro_error* abi() noexcept { return &abi_; }

    // Why the call that returned `code` failed: the skill's message, else the code.
    std::string reason(std::int32_t code) const {
        if (!message_.empty()) return message_;
        return "error code " + std::to_string(code);
    }

private:
    static void set(maestro_error* error, std::int32_t code, const char* message) noexcept {
        if (error == nullptr) return;
        auto* self = static_cast<ErrorSlot*>(error->context);
        (void)code; // the call's return value is the status that counts
        try {
            self->message_ = message != nullptr ? message : "";
        } catch (...) {
            // Out of memory while copying the message: the status still says it failed.
        }
    }

    maestro_error abi_{};
    std::string message_;
};

} // namespace maestro::skillhost
