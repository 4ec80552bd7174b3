#pragma once

#include "http/Exchange.h"
#include "service/ProjectService.h"

namespace maestro::host::http {

class ProjectHandlers {
public:
    explicit ProjectHandlers(service::ProjectService& projects) : projects_(projects) {}

    Response list(Request& request);
    Response get(Request& request);
    Response create(Request& request);
    Response update(Request& request); // PUT and PATCH: both change only the fields given
    Response remove(Request& request);

private:
    service::ProjectService& projects_;
};

} // namespace maestro::host::http
