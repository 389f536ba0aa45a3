package dev.spotkeeper.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueuedReportSinkTest {
    @Test
    void send_returnsBeforeTheTargetIsBuilt_andCloseDeliversEverythingInOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> delivered = new CopyOnWriteArrayList<>();
        AtomicInteger built = new AtomicInteger();
        QueuedReportSink sink = new QueuedReportSink(() -> {
            built.incrementAndGet();
            await(release);
            return delivered::add;
        }, Duration.ofSeconds(10));

        sink.send("started");
        sink.send("restored");
        sink.send("exited");
        assertThat(delivered).isEmpty();
        release.countDown();
        sink.close();

        assertThat(delivered).containsExactly("started", "restored", "exited");
        assertThat(built).hasValue(1);
    }

    @Test
    void aReportThatFails_isDropped_andTheNextOnesStillGo() {
        List<String> delivered = new CopyOnWriteArrayList<>();
        QueuedReportSink sink = new QueuedReportSink(() -> envelope -> {
            if (envelope.equals("bad")) {
                throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "queue unreachable");
            }
            delivered.add(envelope);
        }, Duration.ofSeconds(10));

        sink.send("bad");
        sink.send("good");
        sink.close();

        assertThat(delivered).containsExactly("good");
    }

    @Test
    void close_closesATargetThatHoldsResources_andLaterReportsAreDropped() {
        AtomicBoolean closed = new AtomicBoolean();
        List<String> delivered = new CopyOnWriteArrayList<>();
        class Closing implements ReportSink, AutoCloseable {
            @Override
            public void send(String envelope) {
                delivered.add(envelope);
            }

            @Override
            public void close() {
                closed.set(true);
            }
        }
        QueuedReportSink sink = new QueuedReportSink(Closing::new, Duration.ofSeconds(10));
        sink.send("one");
        sink.close();
        sink.send("late");

        assertThat(closed).isTrue();
        assertThat(delivered).containsExactly("one");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
