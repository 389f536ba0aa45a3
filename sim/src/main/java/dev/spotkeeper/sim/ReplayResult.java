package dev.spotkeeper.sim;

import java.util.List;

/**
 * Results of a replay: {@code rows.get(window).get(policy)} in the order of {@code policies}.
 */
public record ReplayResult(Scenario scenario, JobModel model, List<String> policies, List<List<RunResult>> rows) {
    public ReplayResult {
        policies = List.copyOf(policies);
        rows = List.copyOf(rows);
    }

    /** Means over the windows, one per policy. */
    public record Summary(String policy, double meanCost, double costVsOnDemand, int misses, double meanMigrations,
                          double meanSpotHours) {
    }

    public List<Summary> summaries() {
        double onDemand = model.workTicks() * model.onDemandTickCost()
                + model.startTicks(-1, 0) * model.onDemandTickCost();
        return policies.stream().map(p -> summary(p, onDemand)).toList();
    }

    /** Cost of running the whole job on on-demand from the start: the normalising reference. */
    public double onDemandCost() {
        return (model.workTicks() + model.startTicks(-1, 0)) * model.onDemandTickCost();
    }

    private Summary summary(String policy, double onDemand) {
        int i = policies.indexOf(policy);
        double cost = 0;
        double migrations = 0;
        double spot = 0;
        int misses = 0;
        for (List<RunResult> row : rows) {
            RunResult r = row.get(i);
            cost += r.cost();
            migrations += r.migrations();
            spot += r.spotHours();
            misses += r.missed() ? 1 : 0;
        }
        int n = rows.size();
        return new Summary(policy, cost / n, cost / n / onDemand, misses, migrations / n, spot / n);
    }
}
