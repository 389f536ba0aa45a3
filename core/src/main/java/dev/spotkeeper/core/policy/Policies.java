package dev.spotkeeper.core.policy;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import java.util.List;

/**
 * The online policies by name. Each call returns a fresh instance for one job run. The offline optimum is not
 * here: it needs the future, which only the simulator has.
 */
public final class Policies {
    /** Registry names, in the order reports list them. */
    public static final List<String> NAMES = List.of("on-demand", "spot-one-zone", "greedy", "uniform-progress",
            "failover", "spotkeeper");

    private Policies() {
    }

    /**
     * A new policy. {@code homeZone} is the zone single-zone policies use (a fixed launch template's zone);
     * multi-zone policies ignore it.
     */
    public static SchedulingPolicy create(String name, String homeZone) {
        return switch (name) {
            case "on-demand" -> new OnDemandOnlyPolicy();
            case "spot-one-zone" -> new SpotOneZonePolicy(homeZone);
            case "greedy" -> new GreedyPolicy(homeZone);
            case "uniform-progress" -> new UniformProgressPolicy(homeZone);
            case "failover" -> new FailoverPolicy();
            case "spotkeeper" -> new SpotkeeperPolicy();
            default -> throw SpotkeeperException.invalidArgument("unknown policy '" + name + "'"
                    + Names.didYouMean(name, NAMES) + "; known: " + String.join(", ", NAMES));
        };
    }
}
