package io.botsync.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.botsync.cli.Application;
import io.botsync.sim.SimServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped push route to RabbitMQ (routes/push-rabbitmq.yaml) against this machine's broker: one persistent JSON
 * message per change, in order, its idempotency key as message id, in a durable queue the route declared.
 */
class RabbitMqPushTest {

    private static final int USERS = 40;

    @Test
    void everyChangeIsOneMessageInOrderWithItsKeyAsMessageId() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", USERS); RabbitQueue queue = new RabbitQueue()) {
            Application app = fixture.start(Map.of("botsync.push.rabbitmq.url", RabbitQueue.URL,
                    "botsync.push.rabbitmq.queue", queue.name));
            app.sync().sync("mercury", false);
            PushResult result = app.push().push("rabbitmq");
            assertEquals(PushResult.Status.SUCCEEDED, result.status(), result.summary());
            assertEquals(USERS, result.delivered());

            List<RabbitQueue.Delivered> messages = queue.drain();
            for (RabbitQueue.Delivered message : messages) {
                assertEquals(SimServer.JSON.readTree(message.body()).path("change_id").asText(), message.messageId());
                assertEquals("application/json", message.contentType());
                assertTrue(message.persistent(), "persistent: " + message);
            }
            assertEquals(PushFixture.strings(app, "SELECT id FROM user_change ORDER BY id"),
                    messages.stream().map(RabbitQueue.Delivered::messageId).toList(), "every change, once, in order");
            assertTrue(queue.durable(), "the route declares its queue durable");
        }
    }

    @Test
    void aQueueThatIsNotDurableStopsTheRoundAndLosesNothing() throws Exception {
        try (PushFixture fixture = new PushFixture("h2", USERS); RabbitQueue queue = new RabbitQueue()) {
            queue.declareNotDurable();
            Application app = fixture.start(Map.of("botsync.push.rabbitmq.url", RabbitQueue.URL,
                    "botsync.push.rabbitmq.queue", queue.name, "botsync.push.max-redeliveries", "1",
                    "botsync.push.redelivery-delay", "10"));
            app.sync().sync("mercury", false);
            PushResult result = app.push().push("rabbitmq");
            assertEquals(PushResult.Status.FAILED, result.status(), result.summary());
            assertTrue(result.summary().contains("rabbitmq") && result.summary().contains("durable"), result.summary());
            assertEquals(0, result.delivered());
            assertEquals(List.of(), queue.drain(), "nothing sent to a queue the broker would lose");
        }
    }
}
