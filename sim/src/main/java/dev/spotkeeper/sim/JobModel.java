package dev.spotkeeper.sim;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.policy.MoveCosts;
import dev.spotkeeper.sim.trace.Trace;
import java.util.ArrayList;
import java.util.List;

/**
 * The job on a trace's grid of ticks. Everything is counted in whole ticks so that the simulator and the
 * offline optimum share one model and the optimum is an exact lower bound: work is {@code ceil(W / gap)} ticks,
 * the deadline {@code floor(deadline / gap)} ticks, and a start costs {@code ceil((d + transfer) / gap)} ticks.
 *
 * <p>With a hand-over, a start made while a warm on-demand instance is held keeps that instance running, billed and
 * making progress, until the new one has finished starting (make-before-break); without, every start releases what
 * was held first.
 */
public final class JobModel implements MoveCosts {
    private final Trace trace;
    private final JobSpec job;
    private final Network network;
    private final List<String> regions = new ArrayList<>();
    private final int[] zoneRegion;
    private final int workTicks;
    private final int deadlineTicks;
    /** {@code startTicks[from][to]}; from = regions.size() means "no checkpoint yet". */
    private final int[][] startTicks;
    /** {@code startSeconds[from][to]}: the restart overhead plus any cross-region transfer, before rounding. */
    private final double[][] startSeconds;
    private final double[][] egress;
    /** Dollars per hour of on-demand per region: the lowest of its zones' prices. */
    private final double[] onDemandPrice;
    private final boolean handOver;

    /** Without a hand-over: every start releases what was held. */
    public JobModel(Trace trace, JobSpec job, Network network) {
        this(trace, job, network, false);
    }

    public JobModel(Trace trace, JobSpec job, Network network, boolean handOver) {
        this.handOver = handOver;
        this.trace = requireNonNull(trace, "trace is null");
        this.job = requireNonNull(job, "job is null");
        this.network = requireNonNull(network, "network is null");
        zoneRegion = new int[trace.zoneCount()];
        for (int z = 0; z < trace.zoneCount(); z++) {
            String r = trace.regions().get(z);
            if (!regions.contains(r)) {
                regions.add(r);
            }
            zoneRegion[z] = regions.indexOf(r);
        }
        onDemandPrice = new double[regions.size()];
        java.util.Arrays.fill(onDemandPrice, Double.POSITIVE_INFINITY);
        for (int z = 0; z < trace.zoneCount(); z++) {
            onDemandPrice[zoneRegion[z]] = Math.min(onDemandPrice[zoneRegion[z]], trace.onDemandPrice(z));
        }
        double gap = trace.gapSeconds();
        workTicks = (int) Math.ceil(job.workHours() * 3600 / gap - 1e-9);
        deadlineTicks = (int) Math.floor(job.deadlineHours() * 3600 / gap + 1e-9);
        int r = regions.size();
        startTicks = new int[r + 1][r];
        startSeconds = new double[r + 1][r];
        egress = new double[r + 1][r];
        double overhead = job.restartOverheadHours() * 3600;
        double transfer = network.extraTransferSeconds(job.checkpointGb());
        for (int from = 0; from <= r; from++) {
            for (int to = 0; to < r; to++) {
                boolean cross = from < r && from != to;
                startSeconds[from][to] = overhead + (cross ? transfer : 0);
                startTicks[from][to] = ticksFor(startSeconds[from][to]);
                egress[from][to] = cross ? job.checkpointGb() * network.egressPerGb(regions.get(from), regions.get(to)) : 0;
            }
        }
        if (workTicks + startTicks[r][0] > deadlineTicks) {
            throw dev.spotkeeper.core.SpotkeeperException.invalidArgument(String.format(java.util.Locale.ROOT,
                    "on this trace's %.0f s ticks the work takes %d ticks plus a %d-tick start but the deadline is %d ticks; "
                            + "lengthen the deadline", gap, workTicks, startTicks[r][0], deadlineTicks));
        }
    }

    public Trace trace() {
        return trace;
    }

    /** True when a start from a warm on-demand instance keeps it running until the new one is warm. */
    public boolean handOver() {
        return handOver;
    }

    public JobSpec job() {
        return job;
    }

    public Network network() {
        return network;
    }

    public List<String> regions() {
        return List.copyOf(regions);
    }

    public int regionCount() {
        return regions.size();
    }

    public int regionOfZone(int zone) {
        return zoneRegion[zone];
    }

    public int regionIndex(String region) {
        return regions.indexOf(region);
    }

    public int workTicks() {
        return workTicks;
    }

    public int deadlineTicks() {
        return deadlineTicks;
    }

    public double tickHours() {
        return trace.gapHours();
    }

    /** Ticks of overhead to start in region {@code to} from a checkpoint in {@code from} (-1: none yet). */
    public int startTicks(int from, int to) {
        return startTicks[from < 0 ? regions.size() : from][to];
    }

    /**
     * Ticks of overhead of a start that can begin only {@code delaySeconds} into its first tick (after refused
     * launches): the delay is added before rounding up, so it costs a tick only when it pushes the start past one.
     */
    public int startTicks(int from, int to, double delaySeconds) {
        if (delaySeconds <= 0) {
            return startTicks(from, to);
        }
        return ticksFor(startSeconds[from < 0 ? regions.size() : from][to] + delaySeconds);
    }

    private int ticksFor(double seconds) {
        return (int) Math.ceil(seconds / trace.gapSeconds() - 1e-9);
    }

    public double egress(int from, int to) {
        return egress[from < 0 ? regions.size() : from][to];
    }

    /** Dollars per hour of on-demand in {@code region}. */
    public double onDemandPrice(int region) {
        return onDemandPrice[region];
    }

    /** Dollars of one tick of on-demand in {@code region}. */
    public double onDemandTickCost(int region) {
        return onDemandPrice[region] * tickHours();
    }

    /** The region with the cheapest on-demand, the first on a tie: where the on-demand reference runs. */
    public int cheapestOnDemandRegion() {
        int best = 0;
        for (int r = 1; r < onDemandPrice.length; r++) {
            if (onDemandPrice[r] < onDemandPrice[best]) {
                best = r;
            }
        }
        return best;
    }

    /** Cost of the whole job on on-demand from the start in the cheapest region: the normalising reference. */
    public double onDemandReferenceCost() {
        int r = cheapestOnDemandRegion();
        return (workTicks + startTicks(-1, r)) * onDemandTickCost(r);
    }

    /** On-demand prices by region name, in the order of {@link #regions()}. */
    public java.util.Map<String, Double> onDemandPrices() {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (int r = 0; r < regions.size(); r++) {
            out.put(regions.get(r), onDemandPrice[r]);
        }
        return out;
    }

    @Override
    public double egressDollars(String fromRegion, String toRegion) {
        return egress(fromRegion == null ? -1 : regionIndex(fromRegion), regionIndex(toRegion));
    }

    @Override
    public double startOverheadHours(String fromRegion, String toRegion) {
        return startTicks(fromRegion == null ? -1 : regionIndex(fromRegion), regionIndex(toRegion)) * tickHours();
    }

    /** The move costs of a start that can begin only {@code delaySeconds} into its tick (after refused launches). */
    public MoveCosts delayedBy(double delaySeconds) {
        if (delaySeconds <= 0) {
            return this;
        }
        return new MoveCosts() {
            @Override
            public double egressDollars(String fromRegion, String toRegion) {
                return JobModel.this.egressDollars(fromRegion, toRegion);
            }

            @Override
            public double startOverheadHours(String fromRegion, String toRegion) {
                return JobModel.this.startOverheadHours(fromRegion, toRegion, delaySeconds / 3600);
            }

            @Override
            public double startOverheadHours(String fromRegion, String toRegion, double delayHours) {
                return JobModel.this.startOverheadHours(fromRegion, toRegion, delaySeconds / 3600 + delayHours);
            }
        };
    }

    @Override
    public double startOverheadHours(String fromRegion, String toRegion, double delayHours) {
        return startTicks(fromRegion == null ? -1 : regionIndex(fromRegion), regionIndex(toRegion), delayHours * 3600)
                * tickHours();
    }
}
