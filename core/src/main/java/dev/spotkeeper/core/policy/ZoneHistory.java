package dev.spotkeeper.core.policy;

import java.util.Arrays;

/**
 * What a policy has seen of one zone: the spells during which spot was available. What a start there is
 * worth is estimated from the finished spells that reached the current spell's age, shrunk towards a prior
 * spell while there are few; zones that flicker (many short spells) score badly, zones whose spells last
 * score well.
 */
final class ZoneHistory {
    /** Spells kept; older ones are dropped, as a market weeks ago says less about the next hours. */
    private static final int MAX_SPELLS = 1024;
    private final double priorSpellHours;
    private final double priorWeight;
    private int[] spells = new int[8];
    private int finished;
    private int current;

    ZoneHistory(double priorSpellHours, double priorWeight) {
        this.priorSpellHours = priorSpellHours;
        this.priorWeight = priorWeight;
    }

    void record(boolean available) {
        if (available) {
            current++;
        } else if (current > 0) {
            if (finished == MAX_SPELLS) {
                System.arraycopy(spells, MAX_SPELLS / 2, spells, 0, MAX_SPELLS / 2);
                finished = MAX_SPELLS / 2;
            } else if (finished == spells.length) {
                spells = Arrays.copyOf(spells, finished * 2);
            }
            spells[finished++] = current;
            current = 0;
        }
    }

    /**
     * Dollars per hour of progress expected from starting an instance now, billed {@code price} per hour: over
     * the finished spells that reached the current one's age (plus a prior spell), the billed hours (the rest
     * of the spell, at most overhead + work left) over the useful hours (the rest minus the overhead, at most
     * the work left), plus {@code fixedCost} spread over the useful hours. A zone whose spells are shorter than
     * the overhead gets a score near infinity, which is what starting there is worth.
     */
    double startCostPerHour(double price, double fixedCost, double overheadHours, double workLeftHours,
                            double tickHours) {
        double billed = stint(priorSpellHours, overheadHours, workLeftHours, true) * priorWeight;
        double useful = stint(priorSpellHours, overheadHours, workLeftHours, false) * priorWeight;
        for (int i = 0; i < finished; i++) {
            if (spells[i] >= current) {
                // Ticks still up counting this one: a start is always billed for the tick it is made in.
                double rest = (spells[i] - current + 1) * tickHours;
                billed += stint(rest, overheadHours, workLeftHours, true);
                useful += stint(rest, overheadHours, workLeftHours, false);
            }
        }
        if (useful <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return (price * billed + fixedCost * (priorWeight + countOutliving())) / useful;
    }

    private int countOutliving() {
        int n = 0;
        for (int i = 0; i < finished; i++) {
            if (spells[i] >= current) {
                n++;
            }
        }
        return n;
    }

    private static double stint(double rest, double overhead, double workLeft, boolean billed) {
        return billed ? Math.min(rest, overhead + workLeft) : Math.max(0, Math.min(rest - overhead, workLeft));
    }

}
