package dev.spotkeeper.emulator.services;

import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import dev.spotkeeper.emulator.spi.InstanceControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** EC2 stand-in for FIS tests: instances whose state the test sets, and a record of interrupt() calls. */
final class FakeInstanceControl implements InstanceControl, EmulatorComponent {
    record Interruption(String instanceId, Duration beforeTermination) {
    }

    private final Map<String, InstanceView> instances = new ConcurrentHashMap<>();
    private final List<Interruption> interruptions = new CopyOnWriteArrayList<>();
    private final List<String> terminations = new CopyOnWriteArrayList<>();

    void add(String id, String state, boolean spot, Map<String, String> tags) {
        instances.put(id, new InstanceView(id, state, spot, "eu-west-1a", "eu-west-1", "m5.large", tags));
    }

    void setState(String id, String state) {
        instances.computeIfPresent(id, (k, v) -> new InstanceView(k, state, v.spot(), v.availabilityZone(),
                v.region(), v.instanceType(), v.tags()));
    }

    List<Interruption> interruptions() {
        return List.copyOf(interruptions);
    }

    List<Interruption> interruptionsOf(List<String> ids) {
        List<Interruption> result = new ArrayList<>();
        for (Interruption i : interruptions) {
            if (ids.contains(i.instanceId())) {
                result.add(i);
            }
        }
        return result;
    }

    @Override
    public List<InstanceView> instances() {
        return List.copyOf(instances.values());
    }

    @Override
    public boolean interrupt(String instanceId, Duration beforeTermination) {
        InstanceView view = instances.get(instanceId);
        if (view == null || !view.spot() || !view.state().equals("running")) {
            return false;
        }
        interruptions.add(new Interruption(instanceId, beforeTermination));
        return true;
    }

    @Override
    public boolean terminate(String instanceId) {
        InstanceView view = instances.get(instanceId);
        if (view == null || !view.state().equals("running") && !view.state().equals("pending")) {
            return false;
        }
        terminations.add(instanceId);
        return true;
    }

    /** Instance {@code i-…N} has its port P at 40000 + N * 100 + P % 100: distinct per instance, stable. */
    @Override
    public java.util.OptionalInt hostPort(String instanceId, int port) {
        if (!instances.containsKey(instanceId)) {
            return java.util.OptionalInt.empty();
        }
        return java.util.OptionalInt.of(40_000 + Math.floorMod(instanceId.hashCode(), 200) * 100 + port % 100);
    }

    List<String> terminations() {
        return List.copyOf(terminations);
    }

    @Override
    public void start(EmulatorContext context) {
        context.provide(InstanceControl.class, this);
    }

    @Override
    public void close() {
    }
}
