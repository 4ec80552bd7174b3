#include "domain/Event.h"

#include "json/Writer.h"

namespace maestro::domain {

std::string toWireJson(const Event& event) {
    json::Writer out(event.dataJson.size() + 128);
    out.beginObject()
        .field("type", event.type)
        .field("event", event.type)
        .field("seq", event.seq)
        .key("data")
        .raw(event.dataJson)
        .field("timestamp", event.timestamp)
        .endObject();
    return out.take();
}

std::string idPayload(std::string_view id) {
    json::Writer out;
    out.beginObject().field("id", id).endObject();
    return out.take();
}

} // namespace maestro::domain
