package dev.spotkeeper.cli.job;

import dev.spotkeeper.spec.yaml.YamlSpecs;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.placement.InterruptionMemory;
import dev.spotkeeper.core.placement.Placement;
import dev.spotkeeper.core.placement.PlacementContext;
import dev.spotkeeper.core.placement.Ranking;
import dev.spotkeeper.core.placement.Requirement;
import dev.spotkeeper.core.placement.Requirements;
import dev.spotkeeper.core.placement.Strategies;
import dev.spotkeeper.core.workload.SpecNode;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;

/**
 * What is refused or completed at submit because of where the workload would run, beyond what the spec reader
 * refuses from the catalog alone: requirements that leave no pool of the market the controller places it in (a
 * region that market does not have, a type it offers nowhere in the regions asked for), which would otherwise be
 * retried for ever; and a checkpoint location, which a workload cannot run without.
 */
final class SubmitChecks {
    private SubmitChecks() {
    }

    /**
     * Refuses the spec when no pool of {@code market} meets its requirements, at the line of the requirement that
     * removed the most pools. The max price is left out: prices move, and a spot request waits for its price.
     */
    static void placeable(String file, SpecNode tree, WorkloadSpec spec, MarketSnapshot market, Instant now) {
        if (market.pools().isEmpty()) {
            return; // nothing is offered right now; capacity comes back
        }
        Requirements r = spec.requirements();
        Requirements anyPrice = new Requirements(r.minVcpus(), r.minMemoryGib(), r.minGpus(), r.architecture(),
                r.families(), r.excludedFamilies(), r.types(), r.excludedTypes(), r.regions(), r.zones(),
                Double.POSITIVE_INFINITY);
        Ranking ranking = Placement.rank(market, anyPrice, Strategies.LOWEST_PRICE,
                PlacementContext.defaults(now, InterruptionMemory.empty()), 1, false);
        if (!ranking.candidates().isEmpty()) {
            return;
        }
        Requirement most = ranking.mostRestrictive().orElseThrow();
        throw SpotkeeperException.malformedFile(file, YamlSpecs.lineOf(tree, most.specKey()), most.specKey()
                + " leaves no pool of the " + ranking.poolsConsidered() + " in the market spotkeeper places this"
                + " workload in (" + market.source() + ") together with the other requirements; it removed the most ("
                + ranking.removedBy().get(most) + " of " + ranking.poolsConsidered() + " pools) — relax it first"
                + " (`spotkeeper advise` with the same requirements lists the pools that are left)");
    }

    /** What is submitted: the text stored and given to the instances, and the spec read from it. */
    record Submission(String text, WorkloadSpec spec) {
    }

    /**
     * A workload must say where its checkpoints go, or it cannot survive an interruption (its agent has nowhere
     * to save). Where the backend has a bucket of its own ({@code defaultLocation}), a file without one gets it,
     * written into the stored text and said so; elsewhere (AWS) the file is refused with the fix.
     */
    static Submission withCheckpoints(String file, SpecNode tree, String text, WorkloadSpec spec,
                                      Optional<String> defaultLocation, PrintWriter out) {
        if (!spec.buckets().checkpoints().isEmpty()) {
            return new Submission(text, spec);
        }
        if (defaultLocation.isEmpty()) {
            int line = YamlSpecs.lineOf(tree, "buckets");
            throw SpotkeeperException.malformedFile(file, line == 0 ? 1 : line, "buckets.checkpoints is required on"
                    + " AWS: the agent saves the job's checkpoints there, and without them the job cannot survive an"
                    + " interruption; add `buckets: {checkpoints: s3://<a private, encrypted bucket of yours>/"
                    + spec.name() + "}` (nothing was submitted)");
        }
        String changed = YamlSpecs.withCheckpoints(file, text, defaultLocation.get());
        WorkloadSpec withDefault = YamlSpecs.parse(file, changed);
        out.println("no buckets.checkpoints in " + file + ": checkpoints go to " + defaultLocation.get() + "/"
                + spec.name() + "/, a private and encrypted bucket of the local plane (set buckets.checkpoints to"
                + " keep them elsewhere)");
        out.flush();
        return new Submission(changed, withDefault);
    }
}
