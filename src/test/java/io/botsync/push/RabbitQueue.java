package io.botsync.push;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A queue of this machine's RabbitMQ, named for one test and deleted after it, read the way a consumer would. */
final class RabbitQueue implements AutoCloseable {

    static final String URL = "amqp://127.0.0.1:5672";

    /** One message as the broker delivered it. */
    record Delivered(String messageId, String contentType, boolean persistent, String body) {}

    final String name = "botsync-test-" + UUID.randomUUID();
    private final Connection connection;
    private final Channel channel;

    RabbitQueue() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(URL);
        connection = factory.newConnection();
        channel = connection.createChannel();
    }

    /** Every message in the queue now, in the order the broker holds them, each acknowledged. */
    List<Delivered> drain() throws Exception {
        List<Delivered> messages = new ArrayList<>();
        for (GetResponse response; (response = channel.basicGet(name, true)) != null; ) {
            var properties = response.getProps();
            messages.add(new Delivered(properties.getMessageId(), properties.getContentType(),
                    Integer.valueOf(2).equals(properties.getDeliveryMode()),
                    new String(response.getBody(), StandardCharsets.UTF_8)));
        }
        return messages;
    }

    /** Makes the queue before botsync does, as one the broker forgets on restart. */
    void declareNotDurable() throws Exception {
        channel.queueDeclare(name, false, false, false, null);
    }

    /** Whether the broker keeps the queue across its own restart. */
    boolean durable() throws Exception {
        // declaring an existing queue again with other properties fails (PRECONDITION_FAILED) and closes the channel
        Channel probe = connection.createChannel();
        try {
            probe.queueDeclare(name, true, false, false, null);
            return true;
        } catch (java.io.IOException notDurable) {
            return false;
        } finally {
            if (probe.isOpen()) {
                probe.close();
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            channel.queueDelete(name);
        } finally {
            connection.close();
        }
    }
}
