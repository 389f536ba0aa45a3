package dev.spotkeeper.core.policy;

/**
 * What a policy has seen of one zone: how often spot was available, and how long its spells of availability
 * lasted. The expected length of a spell is the mean of the finished ones, shrunk towards a prior while there
 * are few, and never less than the age of the current spell (a spell that has lasted long tends to last).
 */
final class ZoneHistory {
    private final double priorSpellHours;
    private final double priorWeight;
    private int observed;
    private int availableTicks;
    private int currentSpell;
    private int finishedSpells;
    private long finishedSpellTicks;

    ZoneHistory(double priorSpellHours, double priorWeight) {
        this.priorSpellHours = priorSpellHours;
        this.priorWeight = priorWeight;
    }

    void record(boolean available) {
        observed++;
        if (available) {
            availableTicks++;
            currentSpell++;
        } else if (currentSpell > 0) {
            finishedSpells++;
            finishedSpellTicks += currentSpell;
            currentSpell = 0;
        }
    }

    /** Fraction of observed ticks with spot available (0.5 before anything was seen). */
    double availability() {
        return (availableTicks + 1.0) / (observed + 2.0);
    }

    double currentSpellHours(double tickHours) {
        return currentSpell * tickHours;
    }

    /** Expected hours a spell that is starting now will last. */
    double expectedSpellHours(double tickHours) {
        double mean = (priorSpellHours * priorWeight + finishedSpellTicks * tickHours) / (priorWeight + finishedSpells);
        return Math.max(mean, currentSpell * tickHours);
    }
}
