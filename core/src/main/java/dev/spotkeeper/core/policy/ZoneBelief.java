package dev.spotkeeper.core.policy;

/**
 * What a policy has learnt of spot in one zone from what it was shown: each tick the zone's spot was known to be
 * there or not (held, reclaimed, refused, or shown outright), how long it stayed while watched, and how often it
 * went. Unwatched ticks teach nothing, so in the honest mode a zone is learnt only by holding or asking for spot
 * there.
 */
final class ZoneBelief {
    private long lastStep = Long.MIN_VALUE;
    private boolean lastAvailable;
    private double upHours;
    private int losses;
    private int availableSeen;
    private int unavailableSeen;

    /** Records that spot was ({@code available}) or was not there at {@code step}; a step is a tick. */
    void seen(long step, boolean available, double tickHours) {
        boolean watched = lastStep == step - 1 && lastAvailable;
        if (available && watched) {
            upHours += tickHours;
        } else if (!available && watched) {
            losses++;
        }
        if (lastStep != step || !available) {
            if (available) {
                availableSeen++;
            } else {
                unavailableSeen++;
            }
        }
        lastStep = step;
        lastAvailable = available;
    }

    /** True when spot was shown gone at {@code step} (refused or reclaimed this tick). */
    boolean refusedAt(long step) {
        return lastStep == step && !lastAvailable;
    }

    double upHours() {
        return upHours;
    }

    int losses() {
        return losses;
    }

    /**
     * Losses per hour of spot, shrunk towards {@code prior} with the weight of {@code weightHours} of watching: few
     * hours say little, many say a lot.
     */
    double hazard(double prior, double weightHours) {
        return (losses + prior * weightHours) / (upHours + weightHours);
    }

    /** The long-run share of sightings that found spot there, starting from {@code prior}. */
    double share(double prior) {
        return (availableSeen + prior * 2) / (availableSeen + unavailableSeen + 2);
    }

    /**
     * The chance spot is there at {@code step}: the long-run share it was seen there ({@code prior} before any
     * sighting), drawing back towards the last sighting the more recent it is ({@code recoveryHours} for a gap).
     */
    double chanceAt(long step, double tickHours, double prior, double recoveryHours) {
        double share = share(prior);
        if (lastStep == Long.MIN_VALUE) {
            return share;
        }
        double decay = Math.exp(-(step - lastStep) * tickHours / recoveryHours);
        return share + ((lastAvailable ? 1 : 0) - share) * decay;
    }
}
