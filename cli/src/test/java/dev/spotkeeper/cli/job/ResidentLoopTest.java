package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.controller.Controller;
import dev.spotkeeper.core.lifecycle.InstanceState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResidentLoopTest {
    private static final String SPEC = "name: train\nrun: python train.py\ncheckpoint:\n  dir: /tmp/ckpt\n";

    @Test
    void reconcileSoon_actsBetweenPasses_longBeforeTheNextOne() throws Exception {
        InMemoryBackend backend = new InMemoryBackend(false);
        Controller controller = Jobs.controller(backend);
        controller.submit(YamlSpecs.parse("train.yaml", SPEC));
        ResidentLoop loop = new ResidentLoop();
        // One pass now, the next one in ten minutes: only the loop's own reconcile can act within the test.
        Thread t = new Thread(() -> loop.run(controller, Duration.ofMinutes(10), new PrintWriter(new StringWriter())));
        t.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !backend.compute.alive().isEmpty());
            assertThat(controller.cancel("train")).isTrue();

            loop.reconcileSoon("train");

            await().atMost(Duration.ofSeconds(10)).until(() -> backend.compute.alive().isEmpty());
            assertThat(backend.store.instances("train")).allSatisfy(r ->
                    assertThat(r.state()).isEqualTo(InstanceState.TERMINATED));
        } finally {
            t.interrupt();
            t.join(10_000);
            loop.close();
        }
        assertThat(t.isAlive()).isFalse();
    }
}
