package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.StateStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A sweep over many workloads on a slow store takes long; an interruption warning that comes meanwhile is handled
 * between two workloads of the sweep, not after its end.
 */
class EventsWithinASweepTest {
    @Test
    void aWarningThatComesDuringALongSweep_isHandledBeforeTheSweepEnds() {
        Harness h = new Harness();
        for (String name : new String[] {"a", "b", "c", "d"}) {
            h.submit(Harness.spec(name).build());
        }
        h.step();
        String first = h.head("a").instanceId();
        h.send(h.report(first, "a", "restored", Map.of("checkpoint", "")));
        h.step();
        assertThat(h.instance(first).state()).isEqualTo(InstanceState.RUNNING);

        // While the sweep reads anything of workload b, two seconds go by and the warning for a's instance arrives.
        AtomicBoolean armed = new AtomicBoolean(false);
        StateStore slow = (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(),
                new Class<?>[] {StateStore.class}, (proxy, method, args) -> {
                    if (args != null && args.length > 0 && "b".equals(args[0])
                            && armed.compareAndSet(true, false)) {
                        h.clock.advance(Duration.ofSeconds(2));
                        h.send(h.warning(first));
                    }
                    try {
                        return method.invoke(h.counted, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Controller controller = new Controller(slow, h.compute, h.queue, h.market::get, h.objects, h.config, h.clock);
        controller.runOnce(); // its first step adopts what runs before it reads events
        armed.set(true);

        RunSummary summary = controller.runOnce();

        assertThat(armed).as("the sweep read workload b").isFalse();
        assertThat(h.instance(first).state()).as("handled within the same sweep").isEqualTo(InstanceState.EVACUATING);
        assertThat(summary.messages()).isEqualTo(1);
    }
}
