package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.MarketSnapshot;
import java.util.Set;
import java.util.TreeSet;

/** Catches misspelt names in requirements before ranking, with the nearest valid names. */
public final class RequirementsCheck {
    private RequirementsCheck() {
    }

    public static void check(Requirements req, MarketSnapshot market, InstanceCatalog catalog, Set<String> knownRegions) {
        Set<String> regions = new TreeSet<>(knownRegions);
        regions.addAll(market.regions());
        for (String r : req.regions()) {
            if (!regions.contains(r)) {
                throw SpotkeeperException.of(ErrorCode.UNKNOWN_REGION,
                        "unknown region '" + r + "'" + Names.didYouMean(r, regions));
            }
        }
        Set<String> types = new TreeSet<>(catalog.names());
        types.addAll(market.instanceTypes());
        for (String t : union(req.types(), req.excludedTypes())) {
            if (!types.contains(t)) {
                throw SpotkeeperException.of(ErrorCode.UNKNOWN_INSTANCE_TYPE,
                        "unknown instance type '" + t + "'" + Names.didYouMean(t, types));
            }
        }
        Set<String> families = new TreeSet<>();
        for (String t : types) {
            families.add(InstanceType.familyOf(t));
        }
        for (String f : union(req.families(), req.excludedFamilies())) {
            if (!families.contains(f)) {
                throw SpotkeeperException.of(ErrorCode.UNKNOWN_INSTANCE_TYPE,
                        "unknown instance family '" + f + "'" + Names.didYouMean(f, families));
            }
        }
        Set<String> zones = market.zones();
        for (String z : req.zones()) {
            if (!zones.contains(z)) {
                throw SpotkeeperException.invalidArgument("unknown availability zone '" + z + "' in this market"
                        + Names.didYouMean(z, zones) + " (give AZ ids such as use1-az1, or names where the market has them)");
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new TreeSet<>(a);
        u.addAll(b);
        return u;
    }
}
