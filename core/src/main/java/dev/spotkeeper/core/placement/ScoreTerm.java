package dev.spotkeeper.core.placement;

import static java.util.Objects.requireNonNull;

/**
 * One term of a placement score: what was measured, its value, how much it weighs and what it contributed.
 *
 * @param value the raw input (a price, a score, a rate), NaN when unknown
 * @param contribution this term's share of the final score
 */
public record ScoreTerm(String name, double value, double weight, double contribution, String note) {
    public ScoreTerm {
        requireNonNull(name, "name is null");
        requireNonNull(note, "note is null");
    }
}
