package dev.spotkeeper.emulator.services.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RedeliveryTest {
    @Test
    void aDeliveryThatFailsTwice_arrivesAtTheThirdAttempt_andOnlyOnce() {
        AtomicInteger attempts = new AtomicInteger();
        List<String> delivered = new CopyOnWriteArrayList<>();
        try (Redelivery r = new Redelivery(Duration.ofMillis(20), Duration.ofMillis(80), 5)) {
            r.deliver("warning", () -> {
                if (attempts.incrementAndGet() < 3) {
                    throw new IllegalStateException("SQS SendMessage failed: connection timed out");
                }
                delivered.add("warning");
            });
            assertThat(delivered).as("the first attempt failed").isEmpty();
            assertThat(r.pending()).isEqualTo(1);

            await().atMost(Duration.ofSeconds(5)).until(() -> r.pending() == 0);
        }
        assertThat(delivered).containsExactly("warning");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void aDeliveryThatSucceeds_runsOnTheCallersThread_atOnce() {
        List<String> threads = new CopyOnWriteArrayList<>();
        try (Redelivery r = new Redelivery(Duration.ofMillis(20), Duration.ofMillis(80), 5)) {
            r.deliver("state change", () -> threads.add(Thread.currentThread().getName()));
            assertThat(threads).containsExactly(Thread.currentThread().getName());
            assertThat(r.pending()).isZero();
        }
    }

    @Test
    void aTargetThatNeverAnswers_isGivenUpAfterItsAttempts() {
        AtomicInteger attempts = new AtomicInteger();
        try (Redelivery r = new Redelivery(Duration.ofMillis(5), Duration.ofMillis(10), 4)) {
            r.deliver("warning", () -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("HTTP 500");
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> r.pending() == 0);
        }
        assertThat(attempts).hasValue(4);
    }
}
