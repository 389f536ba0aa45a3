package dev.spotkeeper.testkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.cloud.EventQueuePort;
import dev.spotkeeper.core.cloud.QueueMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link EventQueuePort} keeps: at-least-once delivery, a message comes back until it is
 * deleted. Each test gets a fresh, empty queue whose messages become visible again
 * {@link #visibilityTimeout()} after a receive.
 */
public abstract class EventQueuePortContract {
    private EventQueuePort queue;

    /** A new empty queue with {@link #visibilityTimeout()}. */
    protected abstract EventQueuePort newQueue();

    /** How long a received message stays hidden; keep it short (1–2 s) so the redelivery test is quick. */
    protected abstract Duration visibilityTimeout();

    @BeforeEach
    void freshQueue() {
        queue = newQueue();
    }

    private static String body(String what) {
        return "{\"test\":\"" + what + "\",\"id\":\"" + UUID.randomUUID() + "\"}";
    }

    /** Receives until a message with {@code body} arrives; the other messages received on the way are kept. */
    private QueueMessage receiveUntil(String body, List<QueueMessage> others) {
        QueueMessage[] found = new QueueMessage[1];
        await().atMost(visibilityTimeout().plusSeconds(20)).until(() -> {
            for (QueueMessage m : queue.receive(10, Duration.ofSeconds(1))) {
                if (m.body().equals(body)) {
                    found[0] = m;
                } else {
                    others.add(m);
                }
            }
            return found[0] != null;
        });
        return found[0];
    }

    @Test
    void sentMessage_isReceivedWithItsBody() {
        String body = body("received");
        queue.send(body);

        QueueMessage m = receiveUntil(body, new ArrayList<>());

        assertThat(m.body()).isEqualTo(body);
        assertThat(m.receipt()).isNotBlank();
    }

    @Test
    void receivedButNotDeleted_isDeliveredAgain() {
        String body = body("redelivered");
        queue.send(body);
        QueueMessage first = receiveUntil(body, new ArrayList<>());

        QueueMessage again = receiveUntil(body, new ArrayList<>());

        assertThat(again.body()).isEqualTo(first.body());
        queue.delete(again);
    }

    @Test
    void deletedMessage_isNotDeliveredAgain_whileAnUndeletedOneIs() {
        String deleted = body("deleted");
        String kept = body("kept");
        queue.send(deleted);
        queue.send(kept);
        List<QueueMessage> before = new ArrayList<>();
        queue.delete(receiveUntil(deleted, before));

        // Two visibility timeouts: long enough for anything not deleted to come back at least once.
        Duration watch = visibilityTimeout().multipliedBy(2);
        List<String> seen = new CopyOnWriteArrayList<>();
        await().during(watch).atMost(watch.plusSeconds(10)).until(() -> {
            queue.receive(10, Duration.ZERO).forEach(m -> seen.add(m.body()));
            return !seen.contains(deleted);
        });

        assertThat(seen).contains(kept).doesNotContain(deleted);
    }

    @Test
    void receive_onAnEmptyQueue_answersEmpty() {
        assertThat(queue.receive(10, Duration.ofSeconds(1))).isEmpty();
    }
}
