package dev.spotkeeper.core.ledger;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The costs of one workload and the figures people ask for: dollars by kind, and savings against on-demand. */
public final class CostLedger {
    /** The totals of a ledger. */
    public record Summary(Map<CostKind, Double> byKind, double total, double allOnDemand, double computeHours) {
        public Summary {
            byKind = Map.copyOf(byKind);
        }

        public double savings() {
            return allOnDemand - total;
        }

        /** Savings as a share of the all-on-demand cost, 0 when nothing was spent. */
        public double savingsFraction() {
            return allOnDemand <= 0 ? 0 : savings() / allOnDemand;
        }
    }

    private final String workload;
    private final List<LedgerEntry> entries = new ArrayList<>();

    public CostLedger(String workload) {
        this.workload = requireNonNull(workload, "workload is null");
    }

    public synchronized void add(LedgerEntry entry) {
        if (!entry.workload().equals(workload)) {
            throw new IllegalArgumentException("entry of " + entry.workload() + " added to the ledger of " + workload);
        }
        entries.add(entry);
    }

    public synchronized List<LedgerEntry> entries() {
        return List.copyOf(entries);
    }

    public synchronized Summary summary() {
        Map<CostKind, Double> byKind = new EnumMap<>(CostKind.class);
        for (CostKind k : CostKind.values()) {
            byKind.put(k, 0.0);
        }
        double total = 0;
        double onDemand = 0;
        double hours = 0;
        for (LedgerEntry e : entries) {
            byKind.merge(e.kind(), e.amount(), Double::sum);
            total += e.amount();
            onDemand += e.onDemandEquivalent();
            if (e.kind().isCompute()) {
                hours += e.hours();
            }
        }
        return new Summary(byKind, total, onDemand, hours);
    }

    /** Whether spending {@code more} now would take the ledger past {@code budget}. */
    public synchronized boolean wouldExceed(double budget, double more) {
        return summary().total() + more > budget;
    }
}
