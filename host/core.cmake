# maestro::core — services, sessions, HTTP, WebSocket and the server application; and the
# maestro-server executable, a thin main over it.
add_library(maestro_core STATIC
  src/service/EventRecorder.cpp
  src/service/EventLogService.cpp
  src/service/IdempotencyService.cpp
  src/service/JsonCache.cpp
  src/service/ProjectService.cpp
  src/service/StatusService.cpp
  src/service/TaskService.cpp
  src/service/SessionService.cpp
  src/worktree/BranchName.cpp
  src/worktree/ChangeJson.cpp
  src/worktree/ChangeMonitor.cpp
  src/worktree/DirectoryWatcher.cpp
  src/worktree/Overlaps.cpp
  src/worktree/WorktreeService.cpp
  src/spawn/AgentProfiles.cpp
  src/spawn/OutputBuffer.cpp
  src/spawn/PtyProcess.cpp
  src/spawn/Spawner.cpp
  src/spawn/Supervisor.cpp
  src/ws/Frame.cpp
  src/ws/Hub.cpp
  src/ws/Protocol.cpp
  src/ws/Transport.cpp
  src/ws/Upgrade.cpp
  src/http/Api.cpp
  src/http/ContainedPath.cpp
  src/http/Dispatcher.cpp
  src/http/ErrorMapper.cpp
  src/http/Exchange.cpp
  src/http/HttpServer.cpp
  src/http/OverviewHandlers.cpp
  src/http/Params.cpp
  src/http/ProjectHandlers.cpp
  src/http/RequestGuard.cpp
  src/http/RequestReader.cpp
  src/http/RequestTarget.cpp
  src/http/ResponseBytes.cpp
  src/http/SessionHandlers.cpp
  src/http/SkillHandlers.cpp
  src/http/Router.cpp
  src/http/StaticFiles.cpp
  src/http/TaskHandlers.cpp
  src/http/WorktreeHandlers.cpp
  src/app/ServerApp.cpp
  src/app/ServerConfig.cpp
  src/app/ServerHostServices.cpp
  src/app/Subsystems.cpp
)
add_library(maestro::core ALIAS maestro_core)
target_include_directories(maestro_core PUBLIC ${PROJECT_SOURCE_DIR}/host/src)
target_compile_definitions(maestro_core PRIVATE
  MAESTRO_VERSION="${PROJECT_VERSION}"
  MAESTRO_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
target_link_libraries(maestro_core
  PUBLIC maestro::store maestro::git maestro::skillhost maestro::options Poco::Net Poco::Util Poco::JSON Threads::Threads)

add_executable(maestro-server src/main.cpp)
target_link_libraries(maestro-server PRIVATE maestro::core)
install(TARGETS maestro-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
