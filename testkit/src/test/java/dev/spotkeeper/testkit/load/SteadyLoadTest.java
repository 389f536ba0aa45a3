package dev.spotkeeper.testkit.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import dev.spotkeeper.testkit.load.SteadyLoad.Outcome;
import dev.spotkeeper.testkit.load.SteadyLoad.Sample;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SteadyLoadTest {
    private HttpServer server;
    private final AtomicBoolean unavailable = new AtomicBoolean();
    private final AtomicInteger answered503 = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    private URI serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            try (exchange) {
                if (exchange.getRequestURI().getPath().equals("/hang")) {
                    release.await(30, TimeUnit.SECONDS);
                }
                int status = 200;
                if (unavailable.get()) {
                    status = 503;
                    answered503.incrementAndGet();
                }
                byte[] body = "ok\n".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void holdsTheTargetRate_withinTenPercent_andEveryRequestSucceeds() throws Exception {
        URI uri = serve();
        try (SteadyLoad load = SteadyLoad.start(uri, 200, Duration.ofSeconds(3), Duration.ofSeconds(5))) {
            assertThat(load.awaitEnd(Duration.ofSeconds(20))).isTrue();
            List<Sample> samples = load.samples();

            assertThat(samples).hasSize((int) load.issued());
            assertThat(samples.size()).isCloseTo(600, within(60));
            double spanSeconds = Duration.between(samples.get(0).start(), samples.get(samples.size() - 1).start())
                    .toNanos() / 1e9;
            assertThat((samples.size() - 1) / spanSeconds).isCloseTo(200.0, within(20.0));
            // Spread over the time, not sent in bursts: every whole second of the three carries its share.
            Instant first = samples.get(0).start();
            for (int s = 0; s < 2; s++) {
                LoadSummary second = load.summary(first.plusSeconds(s), first.plusSeconds(s + 1));
                assertThat(second.count()).as("second %d", s).isCloseTo(200, within(40));
            }
            LoadSummary all = load.summary();
            assertThat(all.count()).isEqualTo(samples.size());
            assertThat(all.failed()).isZero();
            assertThat(all.p50()).isPositive().isLessThanOrEqualTo(all.p99());
            assertThat(all.p99()).isLessThanOrEqualTo(all.max());
        }
    }

    @Test
    void aWindowOf503s_isCountedAsServerErrors_inThatWindowOnly() throws Exception {
        URI uri = serve();
        try (SteadyLoad load = SteadyLoad.start(uri, 100, Duration.ofSeconds(3), Duration.ofSeconds(5))) {
            awaitCount(load, 80, Instant.MIN);
            Instant on = Instant.now();
            unavailable.set(true);
            awaitCount(load, 60, on);
            unavailable.set(false);
            Instant off = Instant.now();
            assertThat(load.awaitEnd(Duration.ofSeconds(20))).isTrue();

            LoadSummary all = load.summary();
            assertThat(all.serverErrors()).isEqualTo(answered503.get()).isGreaterThan(30);
            assertThat(all.failed()).isEqualTo(all.serverErrors());
            assertThat(load.failures()).allMatch(s -> s.status() == 503 && s.outcome() == Outcome.SERVER_ERROR);
            // A request sent just before the switch may reach the server after it: a small margin each side.
            Duration margin = Duration.ofMillis(250);
            assertThat(load.summary(Instant.MIN, on.minus(margin)).failed()).isZero();
            assertThat(load.summary(off.plus(margin), Instant.MAX).failed()).isZero();
            assertThat(load.summary(on.minus(margin), off.plus(margin)).serverErrors()).isEqualTo(all.serverErrors());
            assertThat(load.summary(Instant.MIN, on.minus(margin)).count()).isPositive();
        }
    }

    @Test
    void aRefusedConnection_andAnAnswerTooLate_areTheirOwnOutcomes() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (SteadyLoad refused = SteadyLoad.start(URI.create("http://127.0.0.1:" + closedPort + "/"), 50,
                Duration.ofMillis(400), Duration.ofSeconds(2))) {
            assertThat(refused.awaitEnd(Duration.ofSeconds(20))).isTrue();
            assertThat(refused.samples()).isNotEmpty().allMatch(s -> s.outcome() == Outcome.CONNECTION_ERROR);
            assertThat(refused.summary().connectionErrors()).isEqualTo(refused.samples().size());
        }
        URI hang = serve().resolve("/hang");
        try (SteadyLoad late = SteadyLoad.start(hang, 20, Duration.ofMillis(300), Duration.ofMillis(300))) {
            assertThat(late.awaitEnd(Duration.ofSeconds(20))).isTrue();
            assertThat(late.samples()).isNotEmpty().allMatch(s -> s.outcome() == Outcome.TIMEOUT);
            assertThat(late.summary().timeouts()).isEqualTo(late.samples().size());
            assertThat(late.summary().p50()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void stop_endsTheLoadEarly_andTheRequestsInFlightStillEnd() throws Exception {
        URI uri = serve();
        AtomicReference<Long> atStop = new AtomicReference<>();
        try (SteadyLoad load = SteadyLoad.start(uri, 100, Duration.ofSeconds(60), Duration.ofSeconds(5))) {
            awaitCount(load, 20, Instant.MIN);
            load.stop();
            atStop.set(load.issued());
            assertThat(load.awaitEnd(Duration.ofSeconds(10))).isTrue();
            assertThat(load.issued()).isLessThanOrEqualTo(atStop.get() + 1);
            assertThat(load.samples()).hasSize((int) load.issued());
        }
    }

    @Test
    void percentile_isTheNearestRank() {
        List<Long> values = java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList();
        assertThat(LoadSummary.percentile(values, 0.50)).isEqualTo(50);
        assertThat(LoadSummary.percentile(values, 0.99)).isEqualTo(99);
        assertThat(LoadSummary.percentile(List.of(7L), 0.99)).isEqualTo(7);
        assertThat(LoadSummary.percentile(List.of(), 0.5)).isZero();
    }

    /** Polls until {@code n} requests sent at or after {@code since} have ended. */
    private static void awaitCount(SteadyLoad load, int n, Instant since) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (load.summary(since, Instant.MAX).count() < n) {
            assertThat(System.nanoTime()).as("%d requests ended within 20 s", n).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
