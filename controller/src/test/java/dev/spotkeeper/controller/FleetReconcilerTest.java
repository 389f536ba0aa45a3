package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.cloud.FleetPort;
import dev.spotkeeper.core.ledger.CostKind;
import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.store.FleetState;
import dev.spotkeeper.core.workload.FleetExtension;
import dev.spotkeeper.core.workload.Limits;
import dev.spotkeeper.core.workload.RelocationSpec;
import dev.spotkeeper.core.workload.WorkloadSpec;
import dev.spotkeeper.testkit.cloud.InMemoryFleet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A fleet through the controller's passes, on an in-memory Auto Scaling group and target group. */
class FleetReconcilerTest {
    private static final String M5A = "us-east-1/us-east-1a/m5a.large";

    private final Harness h = new Harness();
    private final InMemoryFleet cloud = new InMemoryFleet();

    FleetReconcilerTest() {
        h.controller.useFleets(cloud);
    }

    static WorkloadSpec fleet(String name, int replicas) {
        return fleet(name, replicas, 0);
    }

    static WorkloadSpec fleet(String name, int replicas, int onDemandBase) {
        return new WorkloadSpec(name, Requirements.builder().regions(java.util.Set.of("us-east-1")).build(),
                "lowest-price", new Limits(Optional.empty(), Optional.empty(), Optional.empty()), "default",
                new WorkloadSpec.Buckets("", "", "", ""), RelocationSpec.never(),
                new FleetExtension(replicas, onDemandBase, new FleetExtension.Placement("price-capacity-optimized", 1),
                        new FleetExtension.Service(8080, new FleetExtension.HealthCheck("/health",
                                Duration.ofSeconds(5), 2, 2), Duration.ofSeconds(120)), "", "python3 -m http.server"));
    }

    private FleetPort.Group group(String name) {
        return cloud.group("us-east-1", name).orElseThrow();
    }

    private List<String> members(String name) {
        return group(name).members().stream().map(FleetPort.Member::instanceId).toList();
    }

    private void serveAll(String name) {
        group(name).members().stream().filter(m -> m.lifecycleState().equals("Pending"))
                .forEach(m -> cloud.serve(name, m.instanceId()));
    }

    private FleetState state(String name) {
        return h.workload(name).fleet();
    }

    @Test
    void warning_detachesKeepingCapacity_terminatesOnceDrained_andTellsTheCapacity() {
        h.submit(fleet("web", 3));
        h.step();
        assertThat(group("web").desired()).isEqualTo(3);
        assertThat(state("web").groupName()).isEqualTo("web");
        assertThat(state("web").targetGroupArn()).isEqualTo("tg/web");
        assertThat(state("web").loadBalancerArn()).isEqualTo("lb/web");
        assertThat(state("web").listenerArn()).isEqualTo("listener/web");
        serveAll("web");
        h.step();
        assertThat(h.instances("web")).hasSize(3);
        assertThat(h.count(ControllerEvent.Kind.CAPACITY_LOW)).isZero();
        String warned = members("web").get(1);

        h.send(h.warning(warned));
        h.step();

        assertThat(group("web").desired()).isEqualTo(3);
        assertThat(group("web").counted()).hasSize(3).extracting(FleetPort.Member::instanceId).doesNotContain(warned);
        assertThat(state("web").detached()).containsExactly(warned);
        assertThat(h.instance(warned).state()).isEqualTo(InstanceState.EVACUATING);
        ControllerEvent low = h.events.stream().filter(e -> e.kind() == ControllerEvent.Kind.CAPACITY_LOW)
                .findFirst().orElseThrow();
        assertThat(low.fields().desired()).contains(3);
        assertThat(low.fields().healthy()).contains(2);
        assertThat(low.fields().pool()).isEqualTo(Harness.A);

        // A restarted controller knows the fleet and what it detached from the store alone.
        h.controller = h.newController();
        h.controller.useFleets(cloud);
        h.step();
        assertThat(h.instance(warned).state()).isEqualTo(InstanceState.EVACUATING);
        cloud.drained("web", warned);
        serveAll("web");
        h.step();

        assertThat(h.instance(warned).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(state("web").detached()).isEmpty();
        assertThat(group("web").desired()).isEqualTo(3);
        ControllerEvent back = h.events.stream().filter(e -> e.kind() == ControllerEvent.Kind.CAPACITY_RESTORED)
                .findFirst().orElseThrow();
        assertThat(back.fields().healthy()).contains(3);
        assertThat(h.count(ControllerEvent.Kind.CAPACITY_LOW)).isEqualTo(1);
    }

    /** The fleet port the controller calls, recording the name of each call and the store writes made before it. */
    private final List<String> fleetCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<List<String>> writesBeforeDetach = new java.util.concurrent.CopyOnWriteArrayList<>();

    private FleetPort recorded() {
        return (FleetPort) java.lang.reflect.Proxy.newProxyInstance(FleetPort.class.getClassLoader(),
                new Class<?>[] {FleetPort.class}, (proxy, method, args) -> {
                    fleetCalls.add(method.getName());
                    if (method.getName().equals("detach")) {
                        writesBeforeDetach.add(h.counted.writes());
                    }
                    try {
                        return method.invoke(cloud, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void warning_detachesBeforeAnyStoreWriteForIt_withoutReadingTheGroup_andADuplicateDetachesNothing() {
        h.controller.useFleets(recorded());
        h.submit(fleet("web", 3));
        h.step();
        serveAll("web");
        h.step();
        h.step();
        String warned = members("web").get(1);
        h.counted.reset();
        fleetCalls.clear();

        h.send(h.warning(warned));
        h.step();

        // Only the event's key is written before (it makes a redelivery a duplicate); no group is read before.
        assertThat(writesBeforeDetach).hasSize(1);
        assertThat(writesBeforeDetach.get(0)).containsOnly("markProcessed");
        assertThat(fleetCalls.subList(0, fleetCalls.indexOf("detach"))).doesNotContain("group");
        assertThat(group("web").desired()).isEqualTo(3);
        assertThat(group("web").counted()).hasSize(3).extracting(FleetPort.Member::instanceId).doesNotContain(warned);
        assertThat(state("web").detached()).containsExactly(warned);
        assertThat(h.instance(warned).state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(h.instance(warned).interruptedAt()).isPresent();
        assertThat(h.store.policyState("web").orElseThrow().pools()).containsKey(Harness.A);
        ControllerEvent warning = h.events.stream().filter(e -> e.kind() == ControllerEvent.Kind.AT_RISK).findFirst()
                .orElseThrow();
        ControllerEvent detach = h.events.stream().filter(e -> e.kind() == ControllerEvent.Kind.FLEET
                && e.message().startsWith("detached " + warned)).findFirst().orElseThrow();
        assertThat(detach.time()).isAfterOrEqualTo(warning.time());

        h.send(h.warning(warned));
        h.step();

        assertThat(writesBeforeDetach).as("a second warning of it detaches nothing").hasSize(1);
        assertThat(group("web").desired()).isEqualTo(3);
        assertThat(group("web").counted()).hasSize(3);
    }

    @Test
    void detachWhoseBookkeepingACrashCutShort_isKeptAsDetachedByThePass_andTerminatedOnceDrained() {
        h.submit(fleet("web", 3));
        h.step();
        serveAll("web");
        h.step();
        String warned = members("web").get(0);
        // The controller detached it and stopped before it wrote anything: the redelivered warning is a duplicate.
        cloud.detach("us-east-1", "web", warned, true);
        serveAll("web");

        h.step();

        assertThat(state("web").detached()).containsExactly(warned);
        assertThat(h.instance(warned).state()).isEqualTo(InstanceState.EVACUATING);
        assertThat(group("web").desired()).isEqualTo(3);
        cloud.drained("web", warned);
        h.step();
        h.step();
        assertThat(h.instance(warned).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(state("web").detached()).isEmpty();
    }

    @Test
    void warningRightAfterARebalanceRecommendation_detachesItAsTheSurgesReplacement_scalingInNothing() {
        h.controller.useFleets(recorded());
        h.submit(fleet("web", 2));
        h.step();
        serveAll("web");
        h.step();
        String atRisk = members("web").get(0);
        fleetCalls.clear();

        // Both before the next pass: the warning must know the recommendation raised the group without a pass.
        h.send(h.rebalance(atRisk));
        h.send(h.warning(atRisk));
        h.step();

        assertThat(state("web").detached()).containsExactly(atRisk);
        assertThat(group("web").desired()).isEqualTo(2);
        assertThat(group("web").members()).extracting(FleetPort.Member::lifecycleState)
                .doesNotContain("Terminating:Wait");
        assertThat(fleetCalls.stream().filter(c -> c.equals("detach"))).hasSize(1);
        // The recommendation's surge was kept with the workload: the warning's detach needed no group read.
        List<String> calls = List.copyOf(fleetCalls);
        assertThat(calls.subList(calls.lastIndexOf("setDesiredCapacity"), calls.indexOf("detach"))).doesNotContain("group");
    }

    @Test
    void onDemandBase_aMemberRecordedBeforeEc2ListsIt_isBilledByTheLifecycleEc2Lists() {
        h.submit(fleet("web", 2, 1));
        h.step();
        List<String> ids = members("web");
        // The group says nothing of how a member was bought: recorded from it, before EC2 lists them.
        h.step();
        assertThat(h.instances("web")).hasSize(2);
        Map<String, String> tags = Map.of(dev.spotkeeper.core.protocol.Tags.MANAGED, "true",
                dev.spotkeeper.core.protocol.Tags.WORKLOAD, "web");
        h.compute.add(ids.get(0), Harness.A, false, tags);
        h.compute.add(ids.get(1), Harness.A, true, tags);
        ids.forEach(id -> cloud.serve("web", id));

        h.step();

        assertThat(h.instance(ids.get(0)).spot()).isFalse();
        assertThat(h.instance(ids.get(0)).pricePerHour()).isEqualTo(0.096);
        assertThat(h.instance(ids.get(1)).spot()).isTrue();
        assertThat(h.instance(ids.get(1)).pricePerHour()).isEqualTo(0.030);
        h.advance(Duration.ofMinutes(61));
        h.step();
        List<LedgerEntry> first = h.store.ledger("web").stream().filter(e -> e.kind().isCompute()).toList();
        assertThat(first).extracting(LedgerEntry::instanceId).containsExactlyInAnyOrderElementsOf(ids);
        LedgerEntry onDemand = first.stream().filter(e -> e.instanceId().equals(ids.get(0))).findFirst().orElseThrow();
        assertThat(onDemand.kind()).isEqualTo(CostKind.ON_DEMAND);
        assertThat(onDemand.amount()).isCloseTo(0.096, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(first.stream().filter(e -> e.instanceId().equals(ids.get(1))).findFirst().orElseThrow().kind())
                .isEqualTo(CostKind.SPOT);
    }

    @Test
    void warning_ranksThePoolThatInterruptedLast() {
        h.price(M5A, 0.010);
        h.submit(fleet("web", 2));
        h.step();
        assertThat(group("web").instanceTypes()).containsExactly("m5a.large", "m5.large");
        serveAll("web");
        h.step();

        h.send(h.warning(members("web").get(0)));
        h.step();

        assertThat(group("web").instanceTypes()).containsExactly("m5.large", "m5a.large");
    }

    @Test
    void rebalance_launchesBeforeItTerminates() {
        h.submit(fleet("web", 2));
        h.step();
        serveAll("web");
        h.step();
        String atRisk = members("web").get(0);

        h.send(h.rebalance(atRisk));
        h.step();
        assertThat(group("web").desired()).isEqualTo(3);
        assertThat(members("web")).contains(atRisk);
        serveAll("web");
        h.step();

        assertThat(group("web").desired()).isEqualTo(2);
        assertThat(group("web").counted()).extracting(FleetPort.Member::instanceId).hasSize(2).doesNotContain(atRisk);
        assertThat(state("web").detached()).containsExactly(atRisk);
    }

    @Test
    void cancel_deletesTheGroup() {
        h.submit(fleet("web", 2));
        h.step();
        serveAll("web");
        h.step();

        h.controller.cancel("web");
        h.step();

        assertThat(cloud.group("us-east-1", "web")).isEmpty();
        assertThat(state("web").deleted()).isTrue();
        assertThat(h.instances("web")).allMatch(r -> r.state() == InstanceState.TERMINATED);
    }
}
