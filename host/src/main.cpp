// maestro-server: see app/ServerApp.h.
#include "app/ServerApp.h"
#include "app/ServerConfig.h"

#include <Poco/Exception.h>
#include <csignal>
#include <cstdlib>
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
    // The termination signals are taken by the main thread alone, in ServerApp::main's
    // waitForTerminationRequest (sigwait). Block them before any thread starts, so every thread
    // inherits the block: a signal the kernel hands to a thread that has not blocked it would
    // take its default action and kill the server without a clean stop. The same set as Poco's
    // (SIGINT stays unblocked under POCO_ENABLE_DEBUGGER). Children reset their mask at spawn.
    sigset_t termination;
    sigemptyset(&termination);
    if (!std::getenv("POCO_ENABLE_DEBUGGER")) sigaddset(&termination, SIGINT);
    sigaddset(&termination, SIGQUIT);
    sigaddset(&termination, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &termination, nullptr);
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
    return MAESTRO_EXIT_INTERNAL; // could not start
}
