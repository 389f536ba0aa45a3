package dev.spotkeeper.core.signals;

import dev.spotkeeper.core.market.InstanceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits instance types into placement-score requests of at least three types. A score answers for the whole
 * request (a capacity-optimized fleet over all its types), so types of similar size go together: the score
 * then says how easy it is to get "one of these interchangeable types", which is what a fleet would ask for.
 */
final class ScoreBatches {
    private ScoreBatches() {
    }

    /** Batches as even as possible, none smaller than 3 or larger than {@code max}; empty when fewer than 3 types. */
    static List<List<String>> of(List<InstanceType> types, int max) {
        int n = types.size();
        if (n < PlacementScoreRequest.MIN_TYPES) {
            return List.of();
        }
        List<InstanceType> sorted = new ArrayList<>(types);
        sorted.sort(Comparator.comparingInt(InstanceType::vcpus)
                .thenComparingDouble(InstanceType::memoryGib)
                .thenComparing(InstanceType::name));
        int batches = Math.min((n + max - 1) / max, n / PlacementScoreRequest.MIN_TYPES);
        List<List<String>> out = new ArrayList<>();
        int from = 0;
        for (int b = 0; b < batches; b++) {
            int size = n / batches + (b < n % batches ? 1 : 0);
            List<String> batch = new ArrayList<>();
            for (InstanceType t : sorted.subList(from, from + size)) {
                batch.add(t.name());
            }
            out.add(List.copyOf(batch));
            from += size;
        }
        return List.copyOf(out);
    }
}
