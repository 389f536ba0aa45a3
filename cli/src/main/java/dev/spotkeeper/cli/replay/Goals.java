package dev.spotkeeper.cli.replay;

import dev.spotkeeper.sim.Replay;
import dev.spotkeeper.sim.ReplayResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark B2's goals for spotkeeper's policy on one replay: mean cost ≤ 1.05 × the offline optimum; ≤ 0.90 ×
 * multi-zone failover wherever the optimum itself is more than 10 % below failover (with one zone there is no
 * failover to beat); zero deadline misses.
 *
 * @param vsOptimal         spotkeeper ÷ optimal, NaN when the optimum was not run
 * @param vsFailover        spotkeeper ÷ failover, NaN when failover was not run
 * @param optimalVsFailover optimal ÷ failover, NaN when either was not run
 */
record Goals(double vsOptimal, double vsFailover, double optimalVsFailover, int misses, int zones) {
    static final double VS_OPTIMAL = 1.05;
    static final double VS_FAILOVER = 0.90;

    /** The goals of {@code result} on {@code zones} zones, or null when spotkeeper's policy was not run. */
    static Goals of(ReplayResult result, int zones) {
        ReplayResult.Summary mine = result.summary("spotkeeper");
        if (mine == null) {
            return null;
        }
        double optimal = result.meanCost(Replay.OPTIMAL);
        double failover = result.meanCost("failover");
        return new Goals(mine.meanCost() / optimal, mine.meanCost() / failover, optimal / failover, mine.misses(), zones);
    }

    /** True when the failover goal means something here: several zones, and room under failover for it. */
    boolean failoverApplies() {
        return zones > 1 && optimalVsFailover < VS_FAILOVER;
    }

    boolean met() {
        return !(vsOptimal > VS_OPTIMAL) && !(failoverApplies() && vsFailover > VS_FAILOVER) && misses == 0;
    }

    /** The line under a scenario's table. */
    String line() {
        StringBuilder sb = new StringBuilder("B2 goals for spotkeeper:");
        if (!Double.isNaN(vsOptimal)) {
            sb.append(String.format(Locale.ROOT, " %.3f × optimal (goal ≤ %.2f: %s);", vsOptimal, VS_OPTIMAL,
                    vsOptimal <= VS_OPTIMAL ? "met" : "NOT met"));
        }
        if (zones <= 1) {
            sb.append(" no failover goal with one zone;");
        } else if (failoverApplies()) {
            sb.append(String.format(Locale.ROOT, " %.3f × failover (goal ≤ %.2f: %s);", vsFailover, VS_FAILOVER,
                    vsFailover <= VS_FAILOVER ? "met" : "NOT met"));
        } else if (!Double.isNaN(optimalVsFailover)) {
            sb.append(String.format(Locale.ROOT, " %.3f × failover (no goal here: the optimum itself is %.3f × failover);",
                    vsFailover, optimalVsFailover));
        }
        sb.append(String.format(Locale.ROOT, " %d deadline misses (goal 0: %s)", misses, misses == 0 ? "met" : "NOT met"));
        return sb.toString();
    }

    /** A table cell: {@code met}, or what was missed. */
    String cell() {
        List<String> missed = new ArrayList<>();
        if (vsOptimal > VS_OPTIMAL) {
            missed.add(String.format(Locale.ROOT, "%.3f×opt", vsOptimal));
        }
        if (failoverApplies() && vsFailover > VS_FAILOVER) {
            missed.add(String.format(Locale.ROOT, "%.3f×failover", vsFailover));
        }
        if (misses > 0) {
            missed.add(misses + " missed");
        }
        return missed.isEmpty() ? "met" : "NOT met: " + String.join(", ", missed);
    }
}
