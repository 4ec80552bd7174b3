// The hub's application protocol without sockets: a real event log in SQLite, and an Outbox
// that records what the transport would have sent.
#include "ws/Protocol.h"

#include "TempDir.h"
#include "store/Database.h"
#include "store/EventRepository.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <map>
#include <set>

using namespace maestro::host;
namespace domain = maestro::domain;
using maestro::test::TempDir;

namespace {

// The payload of an unmasked server text frame.
std::string payloadOf(const std::string& frame) {
    std::size_t length = static_cast<unsigned char>(frame[1]) & 0x7F;
    std::size_t header = 2;
    if (length == 126) header = 4;
    if (length == 127) header = 10;
    return frame.substr(header);
}

// Records what the protocol sends. Its queues hold `budget` bytes until take() empties them,
// as a client that reads them would: offer() refuses what does not fit (Full, or TooBig for
// more than the whole budget), send() closes (4008) on overflow.
class RecordingOutbox : public ws::Outbox {
public:
    void send(ws::ConnectionId id, ws::SharedFrame frame) override {
        if (queued[id] + frame->size() > budget) {
            closed[id] = 4008;
            return;
        }
        queued[id] += frame->size();
        sent[id].push_back(payloadOf(*frame));
    }
    Offer offer(ws::ConnectionId id, ws::SharedFrame frame) override {
        if (frame->size() > budget) return Offer::TooBig;
        if (queued[id] + frame->size() > budget) return Offer::Full;
        send(id, std::move(frame));
        return Offer::Queued;
    }
    void close(ws::ConnectionId id, std::uint16_t code, std::string_view) override {
        closed[id] = code;
    }
    void notifyWhenDrained(ws::ConnectionId id) override { drainWanted.insert(id); }

    // What was sent to `id` since the last call, as JSON objects.
    std::vector<Poco::JSON::Object::Ptr> take(ws::ConnectionId id) {
        std::vector<Poco::JSON::Object::Ptr> messages;
        for (const auto& text : sent[id])
            messages.push_back(Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>());
        sent[id].clear();
        queued[id] = 0;
        return messages;
    }
    // True (once) when the protocol asked to hear that `id` has drained.
    bool takeDrainRequest(ws::ConnectionId id) { return drainWanted.erase(id) == 1; }

    std::size_t budget = SIZE_MAX;
    std::map<ws::ConnectionId, std::size_t> queued;
    std::map<ws::ConnectionId, std::vector<std::string>> sent;
    std::map<ws::ConnectionId, std::uint16_t> closed;
    std::set<ws::ConnectionId> drainWanted;
};

class WsProtocolTest : public ::testing::Test {
protected:
    WsProtocolTest()
        : db_(store::Database::openSqlite(dir_.path() / "events.db")), log_(*db_),
          protocol_(outbox_, log_, /*replayPageSize=*/2) {}

    domain::Event append(const std::string& projectId = "", const std::string& data = "{}") {
        return db_->write([&](store::Transaction& tx) {
            return store::EventRepository(tx.connection())
                .append("task:created", projectId, data, 1);
        });
    }

    // A task:created event whose payload is a task of about `bytes` bytes.
    domain::Event appendTask(const std::string& id, std::size_t bytes) {
        return append("", R"({"id":")" + id + R"(","description":")" + std::string(bytes, 'd') +
                              R"("})");
    }

    void message(ws::ConnectionId id, const std::string& json) {
        protocol_.onMessage(id, ws::Opcode::Text, json);
    }

    static std::vector<std::int64_t> seqsOf(const std::vector<Poco::JSON::Object::Ptr>& messages) {
        std::vector<std::int64_t> seqs;
        for (const auto& m : messages)
            if (m->has("seq")) seqs.push_back(m->getValue<std::int64_t>("seq"));
        return seqs;
    }

    TempDir dir_;
    std::unique_ptr<store::Database> db_;
    service::EventLogService log_;
    RecordingOutbox outbox_;
    ws::Protocol protocol_;
};

} // namespace

TEST_F(WsProtocolTest, ReplaysTheLogOnePageAtATimeAsTheClientDrains) {
    for (int i = 0; i < 5; ++i)
        append();
    protocol_.onOpen(1);
    ASSERT_EQ(outbox_.take(1).front()->getValue<std::string>("type"), "connected");

    message(1, R"({"type":"subscribe","since":0})");
    EXPECT_EQ(outbox_.take(1).front()->getValue<std::string>("type"), "subscribed");
    ASSERT_TRUE(outbox_.takeDrainRequest(1)) << "the first page waits until the reply is out";

    protocol_.onDrained(1);
    EXPECT_EQ(seqsOf(outbox_.take(1)), (std::vector<std::int64_t>{1, 2}));
    ASSERT_TRUE(outbox_.takeDrainRequest(1));
    protocol_.onDrained(1);
    EXPECT_EQ(seqsOf(outbox_.take(1)), (std::vector<std::int64_t>{3, 4}));
    ASSERT_TRUE(outbox_.takeDrainRequest(1));
    protocol_.onDrained(1);
    EXPECT_EQ(seqsOf(outbox_.take(1)), (std::vector<std::int64_t>{5}));
    EXPECT_FALSE(outbox_.takeDrainRequest(1)) << "a short page means caught up";
}

TEST_F(WsProtocolTest, EventsPublishedDuringReplayArriveOnceInOrder) {
    append();
    append();
    append();
    protocol_.onOpen(1);
    message(1, R"({"type":"subscribe","since":0})");
    outbox_.take(1);
    ASSERT_EQ(outbox_.drainWanted.count(1), 1u);

    // Committed while the client is still being replayed to: it comes with the replay.
    protocol_.publish(append());
    EXPECT_TRUE(outbox_.take(1).empty());

    std::vector<std::int64_t> seqs;
    while (outbox_.takeDrainRequest(1)) {
        protocol_.onDrained(1);
        for (auto seq : seqsOf(outbox_.take(1)))
            seqs.push_back(seq);
    }
    const domain::Event live = append();
    protocol_.publish(live);
    protocol_.publish(live); // a repeat is not sent again
    for (auto seq : seqsOf(outbox_.take(1)))
        seqs.push_back(seq);
    EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
}

TEST_F(WsProtocolTest, AProjectSubscriptionGetsThatProjectAndGlobalEvents) {
    protocol_.onOpen(1);
    message(1, R"({"type":"subscribe","projectId":"p1"})");
    outbox_.take(1);
    protocol_.publish(append("p1"));
    protocol_.publish(append("p2"));
    protocol_.publish(append(""));
    EXPECT_EQ(seqsOf(outbox_.take(1)), (std::vector<std::int64_t>{1, 3}));
}

TEST_F(WsProtocolTest, AnswersBadMessagesWithAnErrorAndForgetsClosedClients) {
    protocol_.onOpen(1);
    outbox_.take(1);
    protocol_.onMessage(1, ws::Opcode::Binary, "x");
    message(1, R"({"type":"nope"})");
    message(1, R"({"type":"session:attach"})");
    const auto errors = outbox_.take(1);
    ASSERT_EQ(errors.size(), 3u);
    EXPECT_EQ(errors[0]->getValue<std::string>("code"), "unsupported");
    EXPECT_EQ(errors[1]->getValue<std::string>("code"), "unknown_message");
    EXPECT_EQ(errors[2]->getValue<std::string>("code"), "invalid_message");
    EXPECT_TRUE(outbox_.closed.empty()) << "a bad message keeps the connection";

    protocol_.onClosed(1);
    protocol_.publish(append());
    EXPECT_TRUE(outbox_.take(1).empty());
}

TEST_F(WsProtocolTest, ALiveEventTooBigForTheQueueGoesAsAStubAndTheClientStays) {
    outbox_.budget = 4096;
    protocol_.onOpen(1);
    message(1, R"({"type":"subscribe"})");
    outbox_.take(1);

    protocol_.publish(appendTask("task_big", 10'000));
    protocol_.publish(appendTask("task_small", 10));
    auto messages = outbox_.take(1);
    ASSERT_EQ(messages.size(), 2u);
    const auto& stub = messages[0];
    EXPECT_EQ(stub->getValue<std::int64_t>("seq"), 1);
    EXPECT_EQ(stub->getValue<std::string>("type"), "task:created");
    EXPECT_EQ(stub->getValue<std::string>("event"), "task:created");
    EXPECT_EQ(stub->getValue<std::string>("id"), "task_big");
    EXPECT_TRUE(stub->getValue<bool>("truncated"));
    EXPECT_FALSE(stub->has("data"));
    EXPECT_EQ(messages[1]->getObject("data")->getValue<std::string>("id"), "task_small");
    EXPECT_TRUE(outbox_.closed.empty());
}

TEST_F(WsProtocolTest, AClientTooFarBehindForALiveEventIsClosedNotStubbed) {
    outbox_.budget = 4096;
    protocol_.onOpen(1);
    message(1, R"({"type":"subscribe"})");
    outbox_.take(1);
    for (const char* id : {"task_a", "task_b", "task_c"})
        protocol_.publish(appendTask(id, 1500));
    EXPECT_EQ(outbox_.closed[1], 4008) << "a slow client is closed and resubscribes";
    EXPECT_EQ(seqsOf(outbox_.take(1)), (std::vector<std::int64_t>{1, 2}));
}

TEST_F(WsProtocolTest, ReplayWaitsForRoomAndStubsOnlyAnEventThatCannotFitAlone) {
    ws::Protocol protocol(outbox_, log_, /*replayPageSize=*/50);
    outbox_.budget = 4096;
    appendTask("task_a", 1500);
    appendTask("task_b", 1500);
    appendTask("task_c", 1500); // fits only once a and b are written
    appendTask("task_d", 9000); // never fits
    appendTask("task_e", 10);
    protocol.onOpen(1);
    protocol.onMessage(1, ws::Opcode::Text, R"({"type":"subscribe","since":0})");
    outbox_.take(1);

    std::vector<std::string> received;
    while (outbox_.takeDrainRequest(1)) {
        protocol.onDrained(1);
        for (const auto& m : outbox_.take(1))
            received.push_back(m->has("truncated")
                                   ? "stub " + m->getValue<std::string>("id")
                                   : m->getObject("data")->getValue<std::string>("id"));
    }
    EXPECT_EQ(received,
              (std::vector<std::string>{"task_a", "task_b", "task_c", "stub task_d", "task_e"}));
    EXPECT_TRUE(outbox_.closed.empty());
}

TEST_F(WsProtocolTest, ASinceOlderThanTheLogGetsResyncRequiredThenLiveEvents) {
    for (int i = 0; i < 5; ++i)
        append();
    protocol_.startAfter(5);
    db_->write(
        [](store::Transaction& tx) { store::EventRepository(tx.connection()).prune(4, 100); });
    protocol_.onOpen(1);
    message(1, R"({"type":"subscribe","since":2})");
    outbox_.take(1);
    ASSERT_TRUE(outbox_.takeDrainRequest(1));
    protocol_.onDrained(1);
    auto messages = outbox_.take(1);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0]->getValue<std::string>("type"), "resync_required");
    EXPECT_EQ(messages[0]->getValue<std::int64_t>("since"), 2);
    EXPECT_EQ(messages[0]->getValue<std::int64_t>("firstSeq"), 4);
    EXPECT_EQ(messages[0]->getValue<std::int64_t>("lastSeq"), 5);
    EXPECT_FALSE(outbox_.takeDrainRequest(1));

    protocol_.publish(append());
    EXPECT_EQ(seqsOf(outbox_.take(1)), (std::vector<std::int64_t>{6}));

    // since = firstSeq - 1 misses nothing: a plain replay.
    protocol_.onOpen(2);
    message(2, R"({"type":"subscribe","since":3})");
    outbox_.take(2);
    std::vector<std::int64_t> seqs;
    while (outbox_.takeDrainRequest(2)) {
        protocol_.onDrained(2);
        for (auto seq : seqsOf(outbox_.take(2)))
            seqs.push_back(seq);
    }
    EXPECT_EQ(seqs, (std::vector<std::int64_t>{4, 5, 6}));
}
