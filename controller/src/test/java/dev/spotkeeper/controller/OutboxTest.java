package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.core.lifecycle.InstanceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Events go to the store's outbox with the pass; each sink reads them from its own cursor. */
class OutboxTest {
    @Test
    void aDeadSink_holdsNoPassUp_andWhatItMissedReachesTheSinkOfTheNextController() {
        Harness h = new Harness();
        h.controller.addSink("events.log", e -> {
            throw new IllegalStateException("disk full");
        });
        h.submit(Harness.spec("train").build());
        h.step();
        String first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of("checkpoint", "")));
        h.step();
        h.send(h.warning(first));
        h.step();
        assertThat(h.instance(first).state()).as("the passes went on").isEqualTo(InstanceState.EVACUATING);

        // The controller stops there (a crash: nothing closed); the next one has a working sink of that name.
        List<ControllerEvent> log = new CopyOnWriteArrayList<>();
        h.controller = h.newController();
        h.controller.addSink("events.log", log::add);
        h.step();

        assertThat(log).extracting(ControllerEvent::kind).containsSubsequence(ControllerEvent.Kind.SUBMITTED,
                ControllerEvent.Kind.LAUNCHED, ControllerEvent.Kind.AT_RISK, ControllerEvent.Kind.LAUNCHED,
                ControllerEvent.Kind.EVACUATING);
        assertThat(log).filteredOn(e -> e.kind() == ControllerEvent.Kind.AT_RISK).hasSize(1)
                .allMatch(e -> e.instanceId().equals(first));

        h.controller = h.newController();
        List<ControllerEvent> again = new CopyOnWriteArrayList<>();
        h.controller.addSink("events.log", again::add);
        h.step();
        assertThat(again).as("delivered once: the cursor moved").isEmpty();
    }

    @Test
    void aSlowSink_holdsNoPassUp_andGetsEverythingOnceItCatchesUp() throws Exception {
        Harness h = new Harness();
        CountDownLatch stuck = new CountDownLatch(1);
        List<ControllerEvent> slow = new CopyOnWriteArrayList<>();
        h.controller.addListener(e -> {
            try {
                stuck.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            slow.add(e);
        });
        h.submit(Harness.spec("train").build());
        h.step();
        String first = h.head("train").instanceId();
        h.send(h.warning(first));

        CompletableFuture.runAsync(h::step).get(Controller.SINK_WAIT.toSeconds() * 3 + 10, TimeUnit.SECONDS);

        assertThat(h.instance(first).state()).isIn(InstanceState.EVACUATING, InstanceState.AT_RISK);
        assertThat(h.instances("train")).as("the replacement was launched").hasSize(2);
        assertThat(slow).isEmpty();
        stuck.countDown();
        h.step();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(slow)
                .extracting(ControllerEvent::kind).contains(ControllerEvent.Kind.AT_RISK));
    }
}
