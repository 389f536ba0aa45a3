package dev.spotkeeper.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InstanceStateMachineTest {
    @Test
    void theHappyEvacuation_walksEveryStateInOrderAndTellsListeners() {
        InstanceStateMachine m = new InstanceStateMachine("i-1", InstanceState.PENDING);
        List<String> seen = new ArrayList<>();
        m.addListener((id, from, to, cause) -> seen.add(from + ">" + to + ":" + cause));

        assertThat(m.transition(InstanceState.RUNNING, "agent started")).isTrue();
        assertThat(m.transition(InstanceState.AT_RISK, "interruption warning")).isTrue();
        assertThat(m.transition(InstanceState.EVACUATING, "evacuation requested")).isTrue();
        assertThat(m.transition(InstanceState.EVACUATED, "checkpoint committed")).isTrue();
        assertThat(m.transition(InstanceState.TERMINATED, "terminated")).isTrue();

        assertThat(seen).containsExactly("PENDING>RUNNING:agent started", "RUNNING>AT_RISK:interruption warning",
                "AT_RISK>EVACUATING:evacuation requested", "EVACUATING>EVACUATED:checkpoint committed",
                "EVACUATED>TERMINATED:terminated");
        assertThat(m.get().isTerminal()).isTrue();
    }

    @Test
    void aLateWarningAfterTermination_changesNothing() {
        InstanceStateMachine m = new InstanceStateMachine("i-1", InstanceState.RUNNING);
        m.transition(InstanceState.TERMINATED, "state-change terminated");

        assertThat(m.transition(InstanceState.AT_RISK, "late warning")).isFalse();
        assertThat(m.get()).isEqualTo(InstanceState.TERMINATED);
    }

    @Test
    void everyStateCanEndTerminated_andOnlyTerminatedIsTerminal() {
        for (InstanceState s : InstanceState.values()) {
            assertThat(s.isTerminal()).isEqualTo(s == InstanceState.TERMINATED);
            if (!s.isTerminal()) {
                assertThat(s.canMoveTo(InstanceState.TERMINATED)).as(s.name()).isTrue();
            }
            assertThat(s.canMoveTo(s)).as(s.name()).isFalse();
        }
        assertThat(InstanceState.EVACUATED.next()).isEqualTo(EnumSet.of(InstanceState.TERMINATED));
    }

    @Test
    void racingDuplicates_onlyOneWins() throws Exception {
        InstanceStateMachine m = new InstanceStateMachine("i-1", InstanceState.RUNNING);
        AtomicInteger wins = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            pool.submit(() -> {
                start.await();
                if (m.compareAndSet(InstanceState.RUNNING, InstanceState.AT_RISK, "warning")) {
                    wins.incrementAndGet();
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(wins.get()).isEqualTo(1);
        assertThat(m.get()).isEqualTo(InstanceState.AT_RISK);
    }
}
