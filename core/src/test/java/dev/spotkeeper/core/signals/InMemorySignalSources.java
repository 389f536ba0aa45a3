package dev.spotkeeper.core.signals;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.market.io.SpotAdvisorFeed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Hand-written in-memory sources with a switchable failure per signal, for refresher tests. */
final class InMemorySignalSources implements SpotPriceSource, ZoneSource, PlacementScoreSource, AdvisorSource {
    final List<SpotPrice> prices = new ArrayList<>();
    final List<Zone> zones = new ArrayList<>();
    final Map<String, Integer> scoreByAzId = new HashMap<>();
    final List<PlacementScoreRequest> scoreRequests = new ArrayList<>();
    final AtomicInteger scoreCalls = new AtomicInteger();
    SpotkeeperException pricesFailure;
    SpotkeeperException zonesFailure;
    SpotkeeperException scoresFailure;
    SpotkeeperException advisorFailure;

    @Override
    public List<SpotPrice> latestPrices(String region, List<String> instanceTypes) {
        if (pricesFailure != null) {
            throw pricesFailure;
        }
        return prices.stream().filter(p -> p.region().equals(region)
                && (instanceTypes.isEmpty() || instanceTypes.contains(p.instanceType()))).toList();
    }

    @Override
    public List<Zone> zones(String region) {
        if (zonesFailure != null) {
            throw zonesFailure;
        }
        return zones.stream().filter(z -> z.region().equals(region)).toList();
    }

    @Override
    public List<PlacementScore> scores(PlacementScoreRequest request) {
        scoreCalls.incrementAndGet();
        scoreRequests.add(request);
        if (scoresFailure != null) {
            throw scoresFailure;
        }
        List<PlacementScore> out = new ArrayList<>();
        for (Zone z : zones) {
            Integer s = scoreByAzId.get(z.id());
            if (s != null && request.regions().contains(z.region())) {
                out.add(new PlacementScore(z.region(), z.id(), s));
            }
        }
        return out;
    }

    @Override
    public SpotAdvisorFeed fetch() {
        if (advisorFailure != null) {
            throw advisorFailure;
        }
        return ShippedMarket.spotAdvisor();
    }

    @Override
    public String location() {
        return "memory:advisor";
    }
}
