#pragma once

#include "http/Exchange.h"
#include "service/AttentionService.h"

namespace maestro::host::http {

// /api/attention: the attention inbox.
class AttentionHandlers {
public:
    explicit AttentionHandlers(service::AttentionService& attention) : attention_(attention) {}

    Response list(Request& request);    // ?projectId=
    Response dismiss(Request& request); // {"ids":["…"]}

private:
    service::AttentionService& attention_;
};

} // namespace maestro::host::http
