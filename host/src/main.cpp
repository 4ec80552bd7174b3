// maestro-server: see app/ServerApp.h.
#include "app/ServerApp.h"

#include <Poco/Exception.h>
#include <csignal>
#include <iostream>

int main(int argc, char** argv) {
    // A peer that hangs up must cost an EPIPE on that socket, never the process.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        maestro::host::app::ServerApp app;
        return app.run(argc, argv);
    } catch (const Poco::Exception& e) {
        std::cerr << "maestro-server: error: " << e.displayText() << std::endl;
    } catch (const std::exception& e) {
        std::cerr << "maestro-server: error: " << e.what() << std::endl;
    }
    return 70; // EX_SOFTWARE: could not start
}
