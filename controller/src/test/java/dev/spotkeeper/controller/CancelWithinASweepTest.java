package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.StateStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A command served beside a resident controller (a cancel) asks for its workload to be reconciled soon; a sweep
 * under way does it after the workload it is on, not after every other workload, so the command answers within one
 * workload's reconcile however many workloads the state holds.
 */
class CancelWithinASweepTest {
    @Test
    void aCancelAskedDuringASweep_isReconciledBeforeTheSweepGoesOn() {
        Harness h = new Harness();
        for (String name : new String[] {"a", "b", "c", "d"}) {
            h.submit(Harness.spec(name).build());
        }
        h.step();
        for (String name : new String[] {"a", "b", "c", "d"}) {
            h.send(h.report(h.head(name).instanceId(), name, "restored", Map.of("checkpoint", "")));
        }
        h.step();
        String last = h.head("d").instanceId();
        assertThat(h.instance(last).state()).isEqualTo(InstanceState.RUNNING);

        AtomicReference<Controller> controller = new AtomicReference<>();
        AtomicBoolean armed = new AtomicBoolean(false);
        AtomicReference<InstanceState> whenCRead = new AtomicReference<>();
        // While the sweep reads workload b, d is cancelled; what d's instance is when the sweep first reads c is kept.
        StateStore watched = (StateStore) Proxy.newProxyInstance(StateStore.class.getClassLoader(),
                new Class<?>[] {StateStore.class}, (proxy, method, args) -> {
                    if (args != null && args.length > 0 && "b".equals(args[0]) && armed.compareAndSet(true, false)) {
                        assertThat(controller.get().cancel("d")).isTrue();
                        controller.get().reconcileSoon("d");
                    }
                    if (args != null && args.length > 0 && "c".equals(args[0]) && !armed.get()
                            && whenCRead.get() == null) {
                        whenCRead.set(h.instance(last).state());
                    }
                    try {
                        return method.invoke(h.counted, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        controller.set(new Controller(watched, h.compute, h.queue, h.market::get, h.objects, h.config, h.clock));
        controller.get().runOnce(); // its first step adopts what runs before it reads events
        whenCRead.set(null);
        armed.set(true);

        controller.get().runOnce();

        assertThat(armed).as("the sweep read workload b").isFalse();
        assertThat(whenCRead.get()).as("d's instance when the sweep came to c").isNotNull()
                .isEqualTo(InstanceState.TERMINATED);
        assertThat(controller.get().hasAsked()).isFalse();
    }
}
