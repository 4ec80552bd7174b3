#include "domain/Event.h"

#include "json/Writer.h"

#include <Poco/JSON/Parser.h>

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

std::string subjectId(const Event& event) {
    try {
        auto data = Poco::JSON::Parser().parse(event.dataJson).extract<Poco::JSON::Object::Ptr>();
        for (const char* wrapper : {"subtask", "session"})
            if (auto inner = data->getObject(wrapper)) data = inner;
        for (const char* key : {"id", "subtaskId", "sessionId"})
            if (data->has(key) && data->get(key).isString())
                return data->getValue<std::string>(key);
    } catch (const Poco::Exception&) {
        // A payload that is not an object has no subject.
    }
    return {};
}

std::string toStubJson(const Event& event) {
    json::Writer out;
    out.beginObject()
        .field("type", event.type)
        .field("event", event.type)
        .field("seq", event.seq)
        .field("id", subjectId(event))
        .field("truncated", true)
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
