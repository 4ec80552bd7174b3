// maestro-server: see app/ServerApp.h.
#include "app/ServerApp.h"
#include "app/ServerConfig.h"

#include <Poco/Exception.h>
#include <csignal>
#include <iostream>
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
    } catch (const maestro::host::app::ConfigError& e) {
        std::cerr << "maestro-server: error: " << e.what() << std::endl;
        return 78; // EX_CONFIG: the configuration (home, config.json, token) must be fixed
    } catch (const Poco::Exception& e) {
        std::cerr << "maestro-server: error: " << e.displayText() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "maestro-server: error: " << e.what() << std::endl;
    }
    return 70; // EX_SOFTWARE: could not start
}
