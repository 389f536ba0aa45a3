package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.cloud.LaunchRequest;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/** Two controllers passing over one store and one queue at the same time, as two Lambda invocations would. */
class TwoControllersTest {
    @RepeatedTest(20)
    void aWarningDeliveredToBoth_whileBothRunPasses_launchesOneReplacement() throws Exception {
        Harness h = new Harness();
        h.submit(Harness.spec("train").build());
        h.step();
        String first = h.head("train").instanceId();
        h.send(h.report(first, "train", "restored", Map.of("checkpoint", "")));
        h.step();
        Controller other = h.newController();
        other.runOnce();
        String warning = h.warning(first);
        h.send(warning);
        h.send(warning); // SQS delivers at least once: each controller may get a copy

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Callable<Void>> passes = new ArrayList<>();
            for (Controller c : List.of(h.controller, other)) {
                passes.add(() -> {
                    go.await();
                    for (int i = 0; i < 10; i++) {
                        c.runOnce();
                    }
                    return null;
                });
            }
            List<Future<Void>> running = passes.stream().map(pool::submit).toList();
            go.countDown();
            for (Future<Void> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(h.compute.launchCalls().stream().map(LaunchRequest::clientToken).distinct())
                .as("one launch for the job, one for the warning").containsExactly("train-1", "train-2");
        assertThat(h.compute.all()).hasSize(2);
        assertThat(h.instances("train")).hasSize(2);
        InstanceRecord old = h.instance(first);
        assertThat(old.state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.instance(old.replacedBy()).replaces()).isEqualTo(first);
    }
}
