package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;

/**
 * One signal a refresh could not get, and why. A refresh reports these as values: a missing score or band
 * leaves the pool's signal unknown, it does not abort the refresh.
 *
 * @param scope what was asked for (a region, a placement-score request, a URL)
 */
public record SourceFailure(Signal signal, String scope, ErrorCode code, String message) {
    /** The kinds of signal a refresh gathers. */
    public enum Signal {
        SPOT_PRICES("spot prices"),
        ZONES("availability zones"),
        PLACEMENT_SCORES("placement scores"),
        ADVISOR("Spot Advisor feed"),
        INSTANCE_TYPES("instance types");

        private final String label;

        Signal(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public SourceFailure {
        requireNonNull(signal, "signal is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
    }

    static SourceFailure of(Signal signal, String scope, SpotkeeperException e) {
        return new SourceFailure(signal, scope, e.code(), e.getMessage());
    }

    /** {@code placement scores (us-east-1): message}. */
    public String describe() {
        return signal.label() + (scope.isEmpty() ? "" : " (" + scope + ")") + ": " + message;
    }
}
