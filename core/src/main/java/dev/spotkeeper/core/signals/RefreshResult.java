package dev.spotkeeper.core.signals;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import java.util.List;
import java.util.Optional;

/**
 * What a refresh got: a snapshot when at least one pool was priced, and every signal it could not get.
 *
 * @param snapshot the new market, or null when no pool could be priced (then nothing should be stored)
 * @param scoreRequests placement-score requests made (answered from the cache or by AWS)
 */
public record RefreshResult(MarketSnapshot snapshot, List<SourceFailure> failures, int scoreRequests) {
    public RefreshResult {
        requireNonNull(failures, "failures is null");
        failures = List.copyOf(failures);
    }

    public Optional<MarketSnapshot> market() {
        return Optional.ofNullable(snapshot);
    }

    public int pools() {
        return snapshot == null ? 0 : snapshot.pools().size();
    }

    public int poolsWithScore() {
        if (snapshot == null) {
            return 0;
        }
        int n = 0;
        for (PoolSignals p : snapshot.pools()) {
            if (p.hasPlacementScore()) {
                n++;
            }
        }
        return n;
    }

    public List<SourceFailure> failures(SourceFailure.Signal signal) {
        return failures.stream().filter(f -> f.signal() == signal).toList();
    }

    /**
     * The failure that explains best why there is no snapshot: a price failure, else an unknown instance
     * type, else the first one.
     */
    public Optional<SourceFailure> mainFailure() {
        for (SourceFailure.Signal signal : List.of(SourceFailure.Signal.SPOT_PRICES, SourceFailure.Signal.INSTANCE_TYPES)) {
            List<SourceFailure> found = failures(signal);
            if (!found.isEmpty()) {
                return Optional.of(found.get(0));
            }
        }
        return failures.stream().findFirst();
    }
}
