package dev.spotkeeper.notify.internal;

import dev.spotkeeper.core.ledger.LedgerEntry;
import dev.spotkeeper.core.store.EventFields;
import dev.spotkeeper.core.store.InstanceRecord;
import dev.spotkeeper.core.store.OutboxEvent;
import dev.spotkeeper.core.store.StateStore;
import dev.spotkeeper.core.workload.NotifyEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the store says about an event's instance and workload: the pool and price of the instance, and the cost so
 * far (the ledger, plus the live instances' time since their last entry, as the controller counts it). Reads are
 * kept for one round of the sender, so a burst of events of one workload reads its ledger once.
 */
public final class StoreFacts {
    private final StateStore store;
    private final Map<String, Cost> costs = new HashMap<>();

    private record Cost(double total, double allOnDemand) {
    }

    public StoreFacts(StateStore store) {
        this.store = store;
    }

    /** Forgets what was read: the next round reads again. */
    public void clear() {
        costs.clear();
    }

    /**
     * The facts of one event: its typed fields first; for an event stored without them (before they were written),
     * what the store says about its instance and what its words say about the time left.
     */
    public EventFacts facts(OutboxEvent e, NotifyEvent event, Instant now) {
        EventFields typed = e.fields();
        Optional<InstanceRecord> r = !typed.pool().isEmpty() || e.instanceId().isEmpty() ? Optional.empty()
                : read(() -> store.instance(e.instanceId()));
        Optional<Cost> cost = cost(e.workload(), now);
        Optional<Double> savings = event == NotifyEvent.COMPLETED ? cost.filter(c -> c.allOnDemand() > 0)
                .map(c -> 1 - c.total() / c.allOnDemand()) : Optional.empty();
        Optional<Duration> left = typed.deadline().isPresent() ? typed.deadline().map(d -> Duration.between(e.time(), d))
                : event == NotifyEvent.WARNING || event == NotifyEvent.REBALANCE || event == NotifyEvent.LIMIT
                ? EventMapping.timeLeft(e.message(), e.time()) : Optional.empty();
        String pool = typed.pool().isEmpty() ? r.map(InstanceRecord::poolKey).orElse("") : typed.pool();
        Optional<Double> price = typed.pricePerHour().isPresent() ? typed.pricePerHour()
                : r.map(InstanceRecord::pricePerHour);
        boolean spot = typed.spot().orElse(r.map(InstanceRecord::spot).orElse(true));
        Optional<Double> costSoFar = typed.costSoFar().isPresent() ? typed.costSoFar() : cost.map(Cost::total);
        return new EventFacts(id(e), e.workload(), EventMapping.toldAs(e.kind(), event), e.instanceId(), pool, price,
                spot, costSoFar, savings, left, e.time(), e.message(), 1, Duration.ZERO, typed);
    }

    /** The event's stable id: its workload and its place in the outbox, the same on every redelivery. */
    public static String id(OutboxEvent e) {
        return e.workload() + "-" + e.sequence();
    }

    private Optional<Cost> cost(String workload, Instant now) {
        Cost c = costs.get(workload);
        if (c == null) {
            c = read(() -> Optional.of(compute(workload, now))).orElse(null);
            if (c == null) {
                return Optional.empty();
            }
            costs.put(workload, c);
        }
        return Optional.of(c);
    }

    private Cost compute(String workload, Instant now) {
        List<LedgerEntry> ledger = store.ledger(workload);
        double total = 0;
        double onDemand = 0;
        Map<String, Instant> billedTo = new HashMap<>();
        for (LedgerEntry l : ledger) {
            total += l.amount();
            onDemand += l.onDemandEquivalent();
            billedTo.merge(l.instanceId(), l.end(), (a, b) -> a.isAfter(b) ? a : b);
        }
        for (InstanceRecord r : store.instances(workload)) {
            if (r.state().isTerminal()) {
                continue;
            }
            Instant from = billedTo.getOrDefault(r.instanceId(), r.launchedAt());
            double hours = Math.max(0, Duration.between(from, now).toMillis()) / 3_600_000.0;
            total += hours * r.pricePerHour();
            onDemand += hours * r.pricePerHour();
        }
        return new Cost(total, onDemand);
    }

    private static <T> Optional<T> read(java.util.function.Supplier<Optional<T>> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            // The store is down for a moment: the message goes without the figure rather than not at all.
            return Optional.empty();
        }
    }
}
