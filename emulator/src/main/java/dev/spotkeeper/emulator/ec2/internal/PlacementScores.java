package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.emulator.market.AzNames;
import dev.spotkeeper.emulator.market.PoolView;
import dev.spotkeeper.emulator.market.SpotMarket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Spot placement scores from the market: a zone scores as its best requested pool that has capacity now (the
 * pool's score from the data, 5 when the data has none), 1 when none has; a region as its best zone. As AWS
 * documents, a request for fewer than three instance types always scores low (at most 3).
 */
final class PlacementScores {
    record Score(String region, AzNames.Zone zone, int score) {
    }

    private PlacementScores() {
    }

    static List<Score> score(SpotMarket market, List<String> regions, List<String> types, boolean singleAz) {
        List<Score> out = new ArrayList<>();
        for (String region : regions) {
            int regionBest = 0;
            for (AzNames.Zone z : market.zones().zones(region)) {
                int best = 1;
                for (String type : types) {
                    PoolView pool = market.pool(region, z.name(), type).orElse(null);
                    if (pool != null && pool.available()) {
                        best = Math.max(best, pool.placementScore() > 0 ? pool.placementScore() : 5);
                    }
                }
                if (types.size() < 3) {
                    best = Math.min(best, 3);
                }
                regionBest = Math.max(regionBest, best);
                if (singleAz) {
                    out.add(new Score(region, z, best));
                }
            }
            if (!singleAz && regionBest > 0) {
                out.add(new Score(region, null, regionBest));
            }
        }
        out.sort(Comparator.comparingInt(Score::score).reversed().thenComparing(Score::region)
                .thenComparing(s -> s.zone() == null ? "" : s.zone().id()));
        return out;
    }
}
