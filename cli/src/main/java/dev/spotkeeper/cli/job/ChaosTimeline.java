package dev.spotkeeper.cli.job;

import dev.spotkeeper.controller.ControllerEvent;
import dev.spotkeeper.controller.ControllerEvent.Kind;
import dev.spotkeeper.core.lifecycle.InstanceState;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.store.WorkloadRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where {@code spotkeeper chaos} learns what the controller did about an interruption: its events, oldest first. */
interface ChaosTimeline {
    List<ControllerEvent> events(String workload);

    /** The resident controller's event log (events.log of the local plane), read from its start and then followed. */
    static ChaosTimeline journal(Path file) {
        JournalFile.Tail tail = JournalFile.tailFromStart(file);
        List<ControllerEvent> seen = new ArrayList<>();
        return workload -> {
            seen.addAll(tail.read());
            return seen.stream().filter(e -> e.workload().equals(workload)).toList();
        };
    }

    /**
     * Without an event log (a controller on AWS prints its events where it runs): the events as the state store
     * shows them: launches, interruptions, the replacement running (seen on this poll, or by its record), ends.
     * Checkpoints are not in the store, so the work lost is not known this way.
     */
    static ChaosTimeline store(StateStore store, Clock clock) {
        Set<InstanceState> working = EnumSet.of(InstanceState.RUNNING, InstanceState.AT_RISK, InstanceState.EVACUATING,
                InstanceState.EVACUATED);
        Map<String, Instant> firstSeenWorking = new HashMap<>();
        return workload -> {
            List<ControllerEvent> out = new ArrayList<>();
            for (InstanceRecord r : store.instances(workload)) {
                String id = r.instanceId();
                out.add(new ControllerEvent(r.launchedAt(), workload, id, Kind.LAUNCHED, r.poolKey()
                        + (r.replaces().isEmpty() ? "" : ", replacing " + r.replaces())));
                r.interruptedAt().ifPresent(t -> out.add(new ControllerEvent(t, workload, id, Kind.AT_RISK,
                        "interrupted (from the state store)")));
                if (working.contains(r.state())) {
                    Instant at = firstSeenWorking.computeIfAbsent(id, k -> r.state() == InstanceState.RUNNING
                            ? r.updatedAt() : clock.instant());
                    out.add(new ControllerEvent(at, workload, id, Kind.RESTORED, "running (from the state store)"));
                }
                if (r.state() == InstanceState.EVACUATED) {
                    out.add(new ControllerEvent(r.updatedAt(), workload, id, Kind.EVACUATED, "evacuated"));
                }
                if (r.state() == InstanceState.TERMINATED) {
                    out.add(new ControllerEvent(r.updatedAt(), workload, id, Kind.TERMINATED, "terminated"));
                }
            }
            store.workload(workload).filter(w -> w.status().isTerminal()).ifPresent(w -> out.add(end(w)));
            out.sort(Comparator.comparing(ControllerEvent::time));
            return out;
        };
    }

    private static ControllerEvent end(WorkloadRecord w) {
        Kind kind = switch (w.status()) {
            case SUCCEEDED -> Kind.SUCCEEDED;
            case CANCELLED -> Kind.CANCELLED;
            case FAILED, SUBMITTED, RUNNING -> Kind.FAILED;
        };
        return new ControllerEvent(w.updatedAt(), w.name(), "", kind, w.status().name().toLowerCase(java.util.Locale.ROOT));
    }
}
