package dev.spotkeeper.sim;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.sim.trace.Trace;
import dev.spotkeeper.sim.trace.V100Traces;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The scenarios of benchmark B2, built in by name. */
public final class Scenarios {
    public static final String CROSS_AREA = "v100-cross-area";
    public static final String ALL_ZONES = "v100-all-zones";
    public static final List<String> NAMES = List.of(CROSS_AREA, ALL_ZONES);
    /** Window starts of v100-cross-area in hours after the first trace row (from SkyNomad's evaluation). */
    public static final List<Double> CROSS_AREA_STARTS = List.of(179.725, 299.5417, 419.3583, 479.2667, 838.7167);
    /** The fixed seed from which v100-all-zones draws its windows. */
    public static final long ALL_ZONES_SEED = 20230215L;
    public static final int ALL_ZONES_WINDOWS = 100;
    /**
     * The zone of the single-zone baselines in both scenarios. us-west-2a is in both, among the cheapest, and
     * has spot 88 % of the time: a generous choice, so the baselines are shown at their best.
     */
    public static final String HOME_ZONE = "us-west-2a";

    private Scenarios() {
    }

    public static boolean isBuiltIn(String name) {
        return NAMES.contains(name);
    }

    public static Scenario builtIn(String name) {
        Trace v100 = V100Traces.shipped();
        switch (name) {
            case CROSS_AREA: {
                Trace trace = v100.select(List.of("us-east-1c", "us-east-2b", "us-west-2a"));
                return new Scenario(name, trace, JobSpec.B2, Network.AWS_B2, startsAt(trace, CROSS_AREA_STARTS), HOME_ZONE);
            }
            case ALL_ZONES: {
                Trace trace = v100.select(V100Traces.ZONES);
                return new Scenario(name, trace, JobSpec.B2, Network.AWS_B2,
                        randomStarts(trace, JobSpec.B2, ALL_ZONES_WINDOWS, ALL_ZONES_SEED), HOME_ZONE);
            }
            default:
                throw SpotkeeperException.invalidArgument("unknown scenario '" + name + "'" + Names.didYouMean(name, NAMES)
                        + "; built in: " + String.join(", ", NAMES) + ", or give a scenario file (FILE.yaml)");
        }
    }

    /** Window start ticks for offsets in hours after the first trace row. */
    public static List<Integer> startsAt(Trace trace, List<Double> hours) {
        List<Integer> out = new ArrayList<>();
        for (double h : hours) {
            out.add((int) Math.round(h / trace.gapHours()));
        }
        return out;
    }

    /** {@code count} window starts drawn uniformly from those whose whole deadline fits in the trace. */
    public static List<Integer> randomStarts(Trace trace, JobSpec job, int count, long seed) {
        int length = (int) Math.floor(job.deadlineHours() / trace.gapHours() + 1e-9);
        int last = trace.ticks() - length;
        if (last < 0) {
            throw SpotkeeperException.invalidArgument(String.format(java.util.Locale.ROOT,
                    "the trace %s (%.2f h) is shorter than the deadline (%.2f h)", trace.source(),
                    trace.ticks() * trace.gapHours(), job.deadlineHours()));
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(random.nextInt(last + 1));
        }
        return out;
    }
}
