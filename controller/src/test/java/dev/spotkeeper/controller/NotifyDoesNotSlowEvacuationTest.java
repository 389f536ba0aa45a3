package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.workload.NotifyEvent;
import dev.spotkeeper.core.workload.NotifySpec;
import dev.spotkeeper.core.workload.Reference;
import dev.spotkeeper.notify.NotificationSender;
import dev.spotkeeper.notify.NotifierContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A dead notification sink, refusing or hanging, does not slow a job's evacuation: the pass that takes the warning
 * (AT_RISK, the replacement's launch, the evacuation request) takes as long as without notifications, within
 * 100 ms, because the sender reads the outbox on its own thread.
 */
class NotifyDoesNotSlowEvacuationTest {
    private static final int RUNS = 7;
    private static final long SLOWER_BY_AT_MOST_MS = 100;

    /** A TCP server on 127.0.0.1 that accepts connections and never answers. */
    private static final class Hanging implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> held = new CopyOnWriteArrayList<>();

        Hanging() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "hanging-sink");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** A loopback port with nobody listening: connections are refused. */
    private static int refusingPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** How long the pass that takes the warning lasts, in ms, for a job that notifies {@code hook} (or nobody). */
    private static long warningPass(Optional<String> hook, List<String> reports, boolean awaitReport) {
        Harness h = new Harness();
        NotificationSender sender = null;
        NotifySpec notify = NotifySpec.NONE;
        if (hook.isPresent()) {
            notify = new NotifySpec(Optional.of(NotifySpec.Slack.webhook(new Reference(Reference.Source.ENV, "HOOK"))),
                    Optional.empty(), Optional.of(new NotifySpec.Webhook(new Reference(Reference.Source.ENV, "HOOK"), "")),
                    EnumSet.allOf(NotifyEvent.class), "en");
            Function<String, String> env = Map.of("HOOK", hook.get())::get;
            sender = new NotificationSender(h.store, new NotifierContext(NotifierContext.httpClient(), env,
                    Optional.empty(), Optional.empty(), Duration.ofSeconds(10), NotifierContext.SLACK_API),
                    NotificationSender.Settings.defaults().withPoll(Duration.ofMillis(10)).withBackoff(Duration.ofMillis(10),
                            Duration.ofMillis(50), 3, Duration.ofMinutes(1)), Clock.systemUTC(),
                    reports::add);
            sender.start();
            NotificationSender s = sender;
            h.controller.addListener(e -> s.wake());
        }
        try {
            h.submit(Harness.spec("train").build().withNotify(notify));
            h.step();
            String first = h.head("train").instanceId();
            h.send(h.report(first, "train", "restored", Map.of("checkpoint", "")));
            h.step();
            h.send(h.warning(first));
            long start = System.nanoTime();
            h.step();
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(h.instance(first).state()).isEqualTo(InstanceState.EVACUATING);
            assertThat(h.instances("train")).as("the replacement is launched in that pass").hasSize(2);
            if (hook.isPresent() && awaitReport) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !reports.isEmpty());
            }
            return ms;
        } finally {
            if (sender != null) {
                sender.close();
            }
            h.controller.close();
        }
    }

    private static long median(Optional<String> hook, List<String> reports, boolean awaitReport) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            times.add(warningPass(hook, reports, awaitReport));
        }
        times.sort(Long::compare);
        return times.get(RUNS / 2);
    }

    @Test
    void aRefusingSink_slowsTheWarningPassByLessThan100Ms() throws IOException {
        String hook = "http://127.0.0.1:" + refusingPort() + "/hook";
        median(Optional.empty(), new ArrayList<>(), false); // warms the JIT for both series alike
        long without = median(Optional.empty(), new ArrayList<>(), false);
        List<String> reports = new CopyOnWriteArrayList<>();

        long with = median(Optional.of(hook), reports, true);

        assertThat(with).as("median pass with a refusing sink vs without (%d ms)", without)
                .isLessThanOrEqualTo(without + SLOWER_BY_AT_MOST_MS);
        assertThat(reports).as("the sink was tried and failed").isNotEmpty()
                .allMatch(r -> r.contains("keeps failing") || r.contains("works again"));
    }

    @Test
    void aHangingSink_slowsTheWarningPassByLessThan100Ms() throws IOException {
        try (Hanging hanging = new Hanging()) {
            String hook = "http://127.0.0.1:" + hanging.server.getLocalPort() + "/hook";
            median(Optional.empty(), new ArrayList<>(), false);
            long without = median(Optional.empty(), new ArrayList<>(), false);

            long with = median(Optional.of(hook), new CopyOnWriteArrayList<>(), false);

            assertThat(with).as("median pass with a hanging sink vs without (%d ms)", without)
                    .isLessThanOrEqualTo(without + SLOWER_BY_AT_MOST_MS);
            await().atMost(Duration.ofSeconds(5)).until(() -> !hanging.held.isEmpty());
        }
    }
}
