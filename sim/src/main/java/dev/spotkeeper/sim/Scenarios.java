package dev.spotkeeper.sim;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.sim.trace.Trace;
import dev.spotkeeper.sim.trace.V100Traces;
import java.util.List;

/** The scenarios of benchmark B2, built in by name. */
public final class Scenarios {
    public static final String CROSS_AREA = "v100-cross-area";
    public static final String ALL_ZONES = "v100-all-zones";
    /** Windows whose start lies in the first half of the trace: where spotkeeper's policy was tuned. */
    public static final String FIRST_HALF = "v100-first-half";
    /** Windows whose start lies in the second half: held out while tuning, to check on. */
    public static final String SECOND_HALF = "v100-second-half";
    public static final List<String> NAMES = List.of(CROSS_AREA, ALL_ZONES, FIRST_HALF, SECOND_HALF);
    /** The seed and count of the windows of the two halves. */
    public static final long HALVES_SEED = 7;
    public static final int HALVES_WINDOWS = 50;
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
                return new Scenario(name, trace, JobSpec.B2, Network.AWS_B2, Windows.at(CROSS_AREA_STARTS), HOME_ZONE);
            }
            case ALL_ZONES: {
                Trace trace = v100.select(V100Traces.ZONES);
                return new Scenario(name, trace, JobSpec.B2, Network.AWS_B2,
                        Windows.random(ALL_ZONES_WINDOWS, ALL_ZONES_SEED), HOME_ZONE);
            }
            case FIRST_HALF:
            case SECOND_HALF: {
                Trace trace = v100.select(V100Traces.ZONES);
                double half = trace.ticks() * trace.gapHours() / 2;
                Windows windows = name.equals(FIRST_HALF) ? Windows.random(HALVES_WINDOWS, HALVES_SEED, 0, half)
                        : Windows.random(HALVES_WINDOWS, HALVES_SEED, half, Double.MAX_VALUE);
                return new Scenario(name, trace, JobSpec.B2, Network.AWS_B2, windows, HOME_ZONE);
            }
            default:
                throw SpotkeeperException.invalidArgument("unknown scenario '" + name + "'" + Names.didYouMean(name, NAMES)
                        + "; built in: " + String.join(", ", NAMES) + ", or give a scenario file (FILE.yaml)");
        }
    }
}
