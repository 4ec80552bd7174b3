// maestro-server: see app/ServerApp.h.
#include "app/ServerApp.h"

#include <Poco/Exception.h>
#include <csignal>
#include <iostream>
#include <maestro/skill_abi.h>
#include <malloc.h>

int main(int argc, char** argv) {
    // A peer that hangs up must cost an EPIPE on that socket, never the process.
    std::signal(SIGPIPE, SIG_IGN);
    // Request threads free SQLite's pages into each other's malloc arenas; with the default
    // 128 KiB threshold every such free could trim an arena, and each trim costs a TLB
    // shoot-down across cores. Keep up to 64 MiB of free arena memory instead.
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    try {
        maestro::host::app::ServerApp app;
        return app.run(argc, argv);
    } catch (const Poco::Exception& e) {
        std::cerr << "maestro-server: error: " << e.displayText() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "maestro-server: error: " << e.what() << std::endl;
    }
    return MAESTRO_EXIT_INTERNAL; // could not start
}
