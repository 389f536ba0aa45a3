package dev.spotkeeper.core.market;

import dev.spotkeeper.core.SpotkeeperException;

/**
 * The Spot Instance Advisor's interruption-frequency band: the share of a pool's spot instances that AWS
 * reclaimed over the trailing month. Index 0–4 as in the advisor feed's {@code ranges}.
 */
public enum InterruptionBand {
    UNDER_5("<5%", 0.05),
    FROM_5_TO_10("5-10%", 0.10),
    FROM_10_TO_15("10-15%", 0.15),
    FROM_15_TO_20("15-20%", 0.20),
    OVER_20(">20%", 0.30);

    private final String label;
    private final double monthlyRate;

    InterruptionBand(String label, double monthlyRate) {
        this.label = label;
        this.monthlyRate = monthlyRate;
    }

    public int index() {
        return ordinal();
    }

    public String label() {
        return label;
    }

    /**
     * The share of instances interrupted per month used for expected-cost estimates: the band's upper edge,
     * and 30 % for the open-ended top band, so the estimate errs on the side of caution.
     */
    public double monthlyRate() {
        return monthlyRate;
    }

    public static InterruptionBand ofIndex(int index) {
        if (index < 0 || index > 4) {
            throw SpotkeeperException.invalidArgument("interruption band must be 0..4, was " + index);
        }
        return values()[index];
    }

    /** SpotLake's IF score, where higher is calmer: 3.0 = &lt;5 %, 2.5, 2.0, 1.5, 1.0 = &gt;20 %. */
    public static InterruptionBand ofSpotLakeScore(double score) {
        long halfSteps = Math.round((3.0 - score) * 2);
        if (halfSteps < 0 || halfSteps > 4 || Math.abs((3.0 - score) * 2 - halfSteps) > 1e-6) {
            throw SpotkeeperException.invalidArgument(
                    "SpotLake interruption score must be one of 3.0, 2.5, 2.0, 1.5, 1.0; was " + score);
        }
        return values()[(int) halfSteps];
    }
}
