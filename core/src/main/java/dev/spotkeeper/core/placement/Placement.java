package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.PoolSignals;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/** Ranks the pools of a market for a set of requirements with a strategy. Pure: same inputs, same ranking. */
public final class Placement {
    private Placement() {
    }

    /**
     * The {@code top} best pools. With {@code diversify} the list is spread across AZs and types (each new entry
     * prefers an AZ and a type not yet listed), for fleets and failover lists.
     */
    public static Ranking rank(MarketSnapshot market, Requirements req, PlacementStrategy strategy,
                               PlacementContext context, int top, boolean diversify) {
        if (top < 1) {
            throw SpotkeeperException.invalidArgument("--top must be at least 1, was " + top);
        }
        List<PoolSignals> pools = market.pools();
        List<PoolSignals> matching = new ArrayList<>(pools.size());
        int[] removed = new int[Requirement.values().length];
        for (PoolSignals p : pools) {
            Requirement unmet = req.firstUnmet(p);
            if (unmet == null) {
                matching.add(p);
            } else {
                removed[unmet.ordinal()]++;
            }
        }
        Map<Requirement, Integer> removedBy = new EnumMap<>(Requirement.class);
        for (Requirement r : Requirement.values()) {
            if (removed[r.ordinal()] > 0) {
                removedBy.put(r, removed[r.ordinal()]);
            }
        }
        if (matching.isEmpty()) {
            return new Ranking(strategy, List.of(), pools.size(), 0, removedBy);
        }
        Scorer scorer = strategy.prepare(matching, context);
        int keep = diversify ? Math.min(matching.size(), Math.max(top * 50, 500)) : Math.min(top, matching.size());
        List<Scored> best = topByScore(matching, scorer, keep);
        List<Scored> chosen = diversify ? diversify(best, top) : best.subList(0, Math.min(top, best.size()));
        List<Candidate> candidates = new ArrayList<>(chosen.size());
        for (Scored s : chosen) {
            candidates.add(new Candidate(candidates.size() + 1, s.signals, s.score, scorer));
        }
        return new Ranking(strategy, candidates, pools.size(), matching.size(), removedBy);
    }

    /** Like {@link #rank} but a ranking with no pool is an error that names the most restrictive requirement. */
    public static Ranking rankOrExplain(MarketSnapshot market, Requirements req, PlacementStrategy strategy,
                                        PlacementContext context, int top, boolean diversify) {
        Ranking r = rank(market, req, strategy, context, top, diversify);
        if (r.candidates().isEmpty()) {
            String why = r.mostRestrictive()
                    .map(q -> "; " + q.option() + " removed the most (" + r.removedBy().get(q) + " of "
                            + r.poolsConsidered() + " pools) — relax it first")
                    .orElse("");
            throw SpotkeeperException.of(ErrorCode.NO_MATCHING_POOL,
                    "no pool of " + r.poolsConsidered() + " meets the requirements" + why);
        }
        return r;
    }

    private record Scored(PoolSignals signals, double score) {
    }

    /** Keeps the best {@code keep} in a bounded heap: O(n log k) instead of sorting every pool. */
    private static List<Scored> topByScore(List<PoolSignals> pools, Scorer scorer, int keep) {
        PriorityQueue<Scored> heap = new PriorityQueue<>(keep + 1, Placement::worseFirst);
        for (PoolSignals p : pools) {
            double s = scorer.score(p);
            if (heap.size() < keep) {
                heap.add(new Scored(p, s));
            } else if (s >= heap.peek().score) {
                Scored candidate = new Scored(p, s);
                if (worseFirst(candidate, heap.peek()) > 0) {
                    heap.poll();
                    heap.add(candidate);
                }
            }
        }
        List<Scored> out = new ArrayList<>(heap);
        out.sort((a, b) -> worseFirst(b, a));
        return out;
    }

    /** Orders worse before better: lower score, then (for a stable order) larger key. */
    private static int worseFirst(Scored a, Scored b) {
        int c = Double.compare(a.score, b.score);
        if (c != 0) {
            return c;
        }
        return b.signals.pool().key().compareTo(a.signals.pool().key());
    }

    private static List<Scored> diversify(List<Scored> ranked, int top) {
        List<Scored> out = new ArrayList<>();
        Set<String> zones = new HashSet<>();
        Set<String> types = new HashSet<>();
        boolean[] taken = new boolean[ranked.size()];
        for (int pass = 0; pass < 3 && out.size() < top; pass++) {
            for (int i = 0; i < ranked.size() && out.size() < top; i++) {
                if (taken[i]) {
                    continue;
                }
                Scored s = ranked.get(i);
                String zone = s.signals.pool().region() + "/" + s.signals.pool().zone();
                boolean newZone = !zones.contains(zone);
                boolean newType = !types.contains(s.signals.pool().instanceType());
                boolean ok = switch (pass) {
                    case 0 -> newZone && newType;
                    case 1 -> newZone || newType;
                    default -> true;
                };
                if (ok) {
                    taken[i] = true;
                    out.add(s);
                    zones.add(zone);
                    types.add(s.signals.pool().instanceType());
                }
            }
        }
        out.sort((a, b) -> worseFirst(b, a));
        return out;
    }
}
