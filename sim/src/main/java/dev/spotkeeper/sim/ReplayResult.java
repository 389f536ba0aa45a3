package dev.spotkeeper.sim;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Results of a replay: {@code rows.get(window).get(policy)} in the order of {@code policies}, and for each window
 * the cost of the whole job on on-demand there (the normalising reference).
 *
 * @param model the job on the scenario's trace (for a zone sweep point, on all the scenario's zones)
 */
public record ReplayResult(Scenario scenario, JobModel model, Information information, List<String> policies,
                           List<List<RunResult>> rows, List<Double> references) {
    public ReplayResult {
        requireNonNull(scenario, "scenario is null");
        requireNonNull(model, "model is null");
        requireNonNull(information, "information is null");
        policies = List.copyOf(policies);
        rows = List.copyOf(rows);
        references = List.copyOf(references);
        if (references.size() != rows.size()) {
            throw new IllegalArgumentException(rows.size() + " windows but " + references.size() + " references");
        }
    }

    /** Means over the windows, one per policy. */
    public record Summary(String policy, double meanCost, double costVsOnDemand, int misses, double meanMigrations,
                          double meanSpotHours, double meanRefusedLaunches) {
    }

    public List<Summary> summaries() {
        return policies.stream().map(this::summary).toList();
    }

    /** Mean cost of running the whole job on on-demand from the start, in the cheapest region. */
    public double onDemandCost() {
        return references.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The summary of {@code policy}, or null when it was not run. */
    public Summary summary(String policy) {
        int i = policies.indexOf(policy);
        if (i < 0) {
            return null;
        }
        double cost = 0;
        double migrations = 0;
        double spot = 0;
        double refused = 0;
        int misses = 0;
        for (List<RunResult> row : rows) {
            RunResult r = row.get(i);
            cost += r.cost();
            migrations += r.migrations();
            spot += r.spotHours();
            refused += r.refusedLaunches();
            misses += r.missed() ? 1 : 0;
        }
        int n = rows.size();
        return new Summary(policy, cost / n, cost / n / onDemandCost(), misses, migrations / n, spot / n, refused / n);
    }

    /** Mean cost of {@code policy}, or NaN when it was not run. */
    public double meanCost(String policy) {
        Summary s = summary(policy);
        return s == null ? Double.NaN : s.meanCost();
    }
}
