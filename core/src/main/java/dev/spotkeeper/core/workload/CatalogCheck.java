package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.placement.Requirement;
import dev.spotkeeper.core.placement.Requirements;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Refuses, at their line, requirements that no instance type of the shipped catalog can meet: unknown types,
 * families and regions (with the nearest known names, as {@code advise} suggests them), sizes beyond the largest
 * type, and combinations that leave no type (naming the requirement that removed the most, as {@code advise} does).
 * Only what the catalog decides is checked here; where pools are offered and at what price is the market's.
 */
final class CatalogCheck {
    private final SpecFields fields;
    private final InstanceCatalog catalog;

    CatalogCheck(SpecFields requirementsFields, InstanceCatalog catalog) {
        this.fields = requirementsFields;
        this.catalog = catalog;
    }

    void knownTypes(String key, List<SpecFields.Item> items) {
        Set<String> names = catalog.names();
        for (SpecFields.Item t : items) {
            if (!names.contains(t.text())) {
                throw fields.invalidAt(t.line(), key, "has an unknown instance type '" + t.text() + "'"
                        + Names.didYouMean(t.text(), names) + "; `spotkeeper advise --types " + t.text()
                        + "` checks a name");
            }
        }
    }

    void knownFamilies(String key, List<SpecFields.Item> items) {
        Set<String> families = new TreeSet<>();
        for (String t : catalog.names()) {
            families.add(InstanceType.familyOf(t));
        }
        for (SpecFields.Item f : items) {
            if (!families.contains(f.text())) {
                throw fields.invalidAt(f.line(), key, "has an unknown instance family '" + f.text() + "'"
                        + Names.didYouMean(f.text(), families) + " (a family is the part before the dot: m5 of"
                        + " m5.large)");
            }
        }
    }

    void knownRegions(String key, List<SpecFields.Item> items, Set<String> regions) {
        for (SpecFields.Item r : items) {
            if (!regions.contains(r.text())) {
                throw fields.invalidAt(r.line(), key, "has an unknown region '" + r.text() + "'"
                        + Names.didYouMean(r.text(), regions) + "; regions: " + String.join(", ", new TreeSet<>(regions)));
            }
        }
    }

    /** Sizes beyond the largest type, then a combination that leaves no type. */
    void satisfiable(Requirements req) {
        atMostLargest("vcpus", req.minVcpus(), InstanceType::vcpus, "vCPUs");
        atMostLargest("memory", req.minMemoryGib(), InstanceType::memoryGib, "GiB of memory");
        atMostLargest("gpus", req.minGpus(), InstanceType::gpus, "GPUs");
        Map<Requirement, Integer> removed = new EnumMap<>(Requirement.class);
        for (String name : catalog.names()) {
            Requirement unmet = req.firstUnmet(catalog.find(name).orElseThrow());
            if (unmet == null) {
                return;
            }
            removed.merge(unmet, 1, Integer::sum);
        }
        Requirement most = removed.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String key = most.specKey().substring("requirements.".length());
        throw fields.invalidAt(fields.line(key), key, "leaves no instance type of the " + catalog.size()
                + " spotkeeper knows together with the other requirements; " + most.specKey() + " removed the most ("
                + removed.get(most) + " of " + catalog.size() + " types) — relax it first (`spotkeeper advise` with"
                + " the same requirements shows what is left as you change them)");
    }

    private void atMostLargest(String key, double wanted, ToDoubleFunction<InstanceType> size, String unit) {
        List<InstanceType> all = new ArrayList<>();
        for (String name : catalog.names()) {
            all.add(catalog.find(name).orElseThrow());
        }
        double most = all.stream().mapToDouble(size).max().orElse(0);
        if (wanted <= most) {
            return;
        }
        List<String> largest = all.stream().filter(t -> size.applyAsDouble(t) == most).map(InstanceType::name)
                .sorted(Comparator.naturalOrder()).limit(3).toList();
        throw fields.invalid(key, "asks for " + number(wanted) + " but no instance type has more than "
                + number(most) + " " + unit + " (" + join(largest) + ")");
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }

    private static String join(Collection<String> names) {
        return String.join(", ", names);
    }
}
