package dev.spotkeeper.sim;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import java.util.Arrays;
import java.util.List;

/** What the simulator lets an online policy see of the market. */
public enum Information {
    /**
     * What a controller on a cloud can see: the spot price of every zone (public, as {@code DescribeSpotPriceHistory}
     * gives it), hints when the trace has them, whether the instance it holds is still there, and the answers to
     * its own launches. Spot elsewhere is learnt only by asking for it: a refused launch costs the launch latency,
     * a granted one is a start, billed like any other. Before the job only prices (and hints) are shown.
     */
    HONEST("honest"),
    /** The availability of every zone at every tick, also in the 48 hours before the job; no launch is refused. */
    ALL_SEEING("all-seeing");

    private final String label;

    Information(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(Information::label).toList();
    }

    /** The mode named {@code label}; anything else is refused with the names. */
    public static Information parse(String label) {
        for (Information i : values()) {
            if (i.label.equals(label)) {
                return i;
            }
        }
        throw SpotkeeperException.invalidArgument("unknown information mode '" + label + "'"
                + Names.didYouMean(label, labels()) + "; known: " + String.join(", ", labels()));
    }
}
