package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.FaultInjectionPort;
import dev.spotkeeper.core.protocol.Tags;
import dev.spotkeeper.core.store.FleetState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.WorkloadRecord;
import dev.spotkeeper.testkit.load.LoadSummary;
import dev.spotkeeper.testkit.load.SteadyLoad;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code spotkeeper chaos} on a fleet: each interruption takes {@code samePool} healthy spot members of one pool at
 * once (a pool losing capacity), while a steady client of its own sends requests through the load balancer; it
 * reports the warning, the replacement's request (the detach), the capacity's minimum and the time until
 * {@code replicas} serve healthy again, and the requests the client saw fail. Capacity is read from what the
 * controller stored at its passes, so the times of the restore are as fine as its interval.
 */
final class FleetChaos {
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration HIT = Duration.ofSeconds(60);
    /** The client's rate and timeout: enough to see a dropped request, little next to a real load. */
    static final double RATE = 20;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final JobBackend backend;
    private final String name;
    private final int replicas;
    private final int samePool;
    private final PrintWriter out;
    private final ChaosTimeline timeline;

    FleetChaos(JobBackend backend, String name, int replicas, int samePool, PrintWriter out) {
        this.backend = backend;
        this.name = name;
        this.replicas = replicas;
        this.samePool = samePool;
        this.out = out;
        this.timeline = backend.journal().map(ChaosTimeline::journal)
                .orElseGet(() -> ChaosTimeline.store(backend.store(), backend.clock()));
        if (samePool < 1 || samePool > replicas) {
            throw SpotkeeperException.invalidArgument("--same-pool must be 1 to the fleet's replicas (" + replicas
                    + "), was " + samePool);
        }
    }

    /** What one interruption came to. */
    record Outcome(boolean handled, String line) {
    }

    Outcome interrupt(int k, FaultInjectionPort fis, String template, Duration patience) throws InterruptedException {
        List<String> victims = awaitVictims(patience);
        FleetState f = fleet();
        URI url = URI.create(backend.loadBalancerUrl(f.loadBalancerArn(), f.dnsName()));
        Instant started = backend.clock().instant();
        try (SteadyLoad load = SteadyLoad.start(url, RATE, patience.plus(HIT), REQUEST_TIMEOUT)) {
            for (String v : victims) {
                backend.compute().tag(f.region(), v, Map.of(Tags.CHAOS, "next"));
            }
            String experiment = fis.start(template, name + "-" + k + "-" + started.toEpochMilli());
            boolean retagged = false;
            int minimum = replicas;
            Optional<Instant> restored = Optional.empty();
            String failure = "";
            while (true) {
                FaultInjectionPort.ExperimentState state = fis.state(experiment);
                if (!retagged && !state.status().equals("initiating") && !state.status().equals("pending")) {
                    for (String v : victims) {
                        backend.compute().tag(f.region(), v, Map.of(Tags.CHAOS, "done-" + k));
                    }
                    retagged = true;
                }
                FleetState now = fleet();
                int healthy = healthyOthers(now, Set.copyOf(victims));
                minimum = Math.min(minimum, healthy);
                List<ControllerEvent> events = timeline.events(name);
                boolean warned = victims.stream().allMatch(v -> warning(events, v, started).isPresent());
                if (warned && allGone(now, victims) && healthy >= replicas) {
                    restored = Optional.of(backend.clock().instant());
                }
                Instant t = backend.clock().instant();
                if (state.failed() && !warned) {
                    failure = "FIS experiment " + experiment + " " + state.status() + ": " + state.reason();
                } else if (!warned && t.isAfter(started.plus(HIT))) {
                    failure = "the warning did not reach the controller within " + HIT.toSeconds() + " s";
                } else if (t.isAfter(started.plus(patience))) {
                    failure = replicas + " replicas did not serve healthy again within " + patience;
                }
                if (restored.isPresent() || !failure.isEmpty()) {
                    load.stop();
                    LoadSummary seen = load.summary(started, backend.clock().instant());
                    return new Outcome(restored.isPresent(), line(k, victims, started, events, minimum, restored,
                            seen, url) + (failure.isEmpty() ? "" : "; " + failure));
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    private String line(int k, List<String> victims, Instant started, List<ControllerEvent> events, int minimum,
                        Optional<Instant> restored, LoadSummary seen, URI url) {
        Optional<Instant> warned = victims.stream().map(v -> warning(events, v, started)).flatMap(Optional::stream)
                .max(Instant::compareTo);
        Optional<Instant> requested = victims.stream().map(v -> events.stream().filter(e -> e.kind() == Kind.FLEET
                && e.message().startsWith("detached " + v) && !e.time().isBefore(started)).map(ControllerEvent::time)
                .findFirst()).flatMap(Optional::stream).max(Instant::compareTo);
        String pool = backend.store().instance(victims.get(0)).map(InstanceRecord::poolKey).orElse("?");
        return "interruption " + k + ": " + String.join(", ", victims) + " (" + pool + "): warning "
                + warned.map(t -> since(started, t)).orElse("not seen") + " → replacement requested "
                + requested.map(t -> since(started, t)).orElse(backend.journal().isPresent() ? "not seen"
                : "not known (only in the controller's event log)")
                + " → " + replicas + " replicas back " + restored.map(t -> since(started, t)).orElse("not yet")
                + "; capacity min " + minimum + " of " + replicas + "; " + seen.failed() + " failed requests of "
                + seen.count() + " (a client at " + (int) RATE + "/s through " + url + ")";
    }

    private static Optional<Instant> warning(List<ControllerEvent> events, String victim, Instant since) {
        return events.stream().filter(e -> e.kind() == Kind.AT_RISK && e.instanceId().equals(victim)
                && !e.time().isBefore(since)).map(ControllerEvent::time).findFirst();
    }

    private static String since(Instant from, Instant at) {
        return String.format(Locale.ROOT, "+%.1f s", Duration.between(from, at).toMillis() / 1000.0);
    }

    private FleetState fleet() {
        return Jobs.workload(backend, name).fleet();
    }

    /** In service with a healthy target, not one of {@code leaving}: the capacity the fleet serves with. */
    private static int healthyOthers(FleetState f, Set<String> leaving) {
        return (int) f.members().stream().filter(m -> !leaving.contains(m.instanceId())
                && m.lifecycleState().equals("InService") && m.targetState().equals("healthy")).count();
    }

    /** None of the victims is counted towards the group's capacity any more. */
    private static boolean allGone(FleetState f, List<String> victims) {
        return f.members().stream().noneMatch(m -> victims.contains(m.instanceId())
                && (m.lifecycleState().equals("InService") || m.lifecycleState().startsWith("Pending")));
    }

    /**
     * Waits until the fleet serves all its replicas healthy with nothing detached (the last interruption handled),
     * then picks {@code samePool} healthy spot members of the pool that has the most (ties: the pool's name).
     */
    private List<String> awaitVictims(Duration patience) throws InterruptedException {
        Instant until = backend.clock().instant().plus(patience);
        while (true) {
            WorkloadRecord w = Jobs.workload(backend, name);
            if (w.status().isTerminal()) {
                throw SpotkeeperException.invalidArgument(name + " is " + Jobs.status(w) + "; chaos interrupts a"
                        + " fleet that serves");
            }
            FleetState f = w.fleet();
            if (f.made() && f.detached().isEmpty() && healthyOthers(f, Set.of()) >= replicas) {
                Map<String, List<String>> byPool = new TreeMap<>();
                for (FleetState.Member m : f.members()) {
                    boolean spot = backend.store().instance(m.instanceId()).map(InstanceRecord::spot).orElse(false);
                    if (spot && m.lifecycleState().equals("InService") && m.targetState().equals("healthy")) {
                        byPool.computeIfAbsent(m.zone() + " " + m.instanceType(), p -> new ArrayList<>())
                                .add(m.instanceId());
                    }
                }
                Optional<List<String>> pick = byPool.values().stream().filter(ids -> ids.size() >= samePool)
                        .reduce((a, b) -> b.size() > a.size() ? b : a);
                if (pick.isEmpty()) {
                    throw SpotkeeperException.invalidArgument("no pool of " + name + " has " + samePool + " healthy"
                            + " spot members now (spot members by zone and type: " + counts(byPool) + "); lower"
                            + " --same-pool, or raise replicas");
                }
                return pick.get().stream().sorted().limit(samePool).toList();
            }
            if (backend.clock().instant().isAfter(until)) {
                throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, name + " did not serve " + replicas
                        + " healthy replicas within " + patience + " (`spotkeeper status " + name + "` shows why)");
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static String counts(Map<String, List<String>> byPool) {
        List<String> parts = new ArrayList<>();
        byPool.forEach((pool, ids) -> parts.add(pool + ": " + ids.size()));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
