package io.botsync.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.botsync.cli.Application;
import io.botsync.sim.SimServer;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * The shipped push route to RabbitMQ (routes/push-rabbitmq.yaml) against this machine's broker over AMQP 1.0: one
 * persistent message per change, in order, its idempotency key as correlation id and property.
 */
class RabbitMqPushTest {

    private static final int USERS = 40;
    private static final String BROKER = "amqp://127.0.0.1:5672";

    @Test
    void everyChangeIsOneMessageInOrderWithItsKey() throws Exception {
        String queue = "botsync-test-" + UUID.randomUUID();
        try (PushFixture fixture = new PushFixture("h2", USERS)) {
            Application app = fixture.start(Map.of("botsync.push.rabbitmq.url", BROKER, "botsync.push.rabbitmq.queue", queue));
            app.sync().sync("mercury", false);
            PushResult result = app.push().push("rabbitmq");
            assertEquals(PushResult.Status.SUCCEEDED, result.status(), result.summary());
            assertEquals(USERS, result.delivered());

            List<String> keys = new ArrayList<>();
            JmsConnectionFactory factory = new JmsConnectionFactory("guest", "guest", BROKER);
            try (Connection connection = factory.createConnection()) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
                for (int i = 0; i < USERS; i++) {
                    TextMessage message = (TextMessage) consumer.receive(10_000);
                    assertNotNull(message, "message " + i + " of " + USERS);
                    JsonNode change = SimServer.JSON.readTree(message.getText());
                    assertEquals(change.path("change_id").asText(), message.getJMSCorrelationID());
                    assertEquals(change.path("change_id").asText(), message.getStringProperty("IdempotencyKey"));
                    keys.add(message.getJMSCorrelationID());
                }
            }
            assertEquals(PushFixture.strings(app, "SELECT id FROM user_change ORDER BY id"), keys, "every change, once, in order");
        }
    }
}
