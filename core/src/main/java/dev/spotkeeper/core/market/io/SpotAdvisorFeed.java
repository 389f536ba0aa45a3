package dev.spotkeeper.core.market.io;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AWS Spot Instance Advisor feed ({@code spot-advisor-data.json}): per region, OS and instance type the
 * interruption-frequency band ({@code r}) and the savings against on-demand ({@code s}); plus vCPUs and
 * memory per type.
 */
public final class SpotAdvisorFeed {
    /** One advisor entry: band and savings of a type in a region (Linux). */
    public record Entry(InterruptionBand band, int savingsPercent) {
        public Entry {
            requireNonNull(band, "band is null");
        }
    }

    private final InstanceCatalog catalog;
    private final Map<String, Map<String, Entry>> linuxByRegion;
    private final String globalRate;

    private SpotAdvisorFeed(InstanceCatalog catalog, Map<String, Map<String, Entry>> linuxByRegion, String globalRate) {
        this.catalog = catalog;
        this.linuxByRegion = linuxByRegion;
        this.globalRate = globalRate;
    }

    public InstanceCatalog catalog() {
        return catalog;
    }

    public Map<String, Map<String, Entry>> linuxByRegion() {
        return linuxByRegion;
    }

    public Optional<Entry> linux(String region, String type) {
        Map<String, Entry> byType = linuxByRegion.get(region);
        return Optional.ofNullable(byType == null ? null : byType.get(type));
    }

    public String globalRate() {
        return globalRate;
    }

    public int linuxEntryCount() {
        int n = 0;
        for (Map<String, Entry> m : linuxByRegion.values()) {
            n += m.size();
        }
        return n;
    }

    /** Parses the feed; {@code file} names it in errors. */
    @SuppressWarnings("unchecked")
    public static SpotAdvisorFeed parse(String file, String text) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(text);
        } catch (JsonException e) {
            throw SpotkeeperException.malformedFile(file, e.line(), "not valid JSON: " + e.getMessage());
        }
        Map<String, Object> types = member(file, root, "instance_types");
        Map<String, Object> advisor = member(file, root, "spot_advisor");
        List<Object> ranges = root.get("ranges") instanceof List<?> l ? (List<Object>) l : List.of();
        if (!ranges.isEmpty() && ranges.size() != 5) {
            throw SpotkeeperException.malformedFile(file, 0, "expected 5 interruption ranges, found " + ranges.size());
        }
        Map<String, InstanceType> catalog = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : types.entrySet()) {
            Map<String, Object> facts = asObject(file, "instance_types." + e.getKey(), e.getValue());
            int cores = number(file, "instance_types." + e.getKey() + ".cores", facts.get("cores")).intValue();
            double ram = number(file, "instance_types." + e.getKey() + ".ram_gb", facts.get("ram_gb")).doubleValue();
            String name = e.getKey();
            catalog.put(name, new InstanceType(name, cores, ram, InstanceCatalog.gpusOf(name),
                    Architecture.ofInstanceType(name)));
        }
        Map<String, Map<String, Entry>> linux = new LinkedHashMap<>();
        for (Map.Entry<String, Object> region : advisor.entrySet()) {
            Map<String, Object> byOs = asObject(file, "spot_advisor." + region.getKey(), region.getValue());
            Object linuxTypes = byOs.get("Linux");
            if (linuxTypes == null) {
                continue;
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, Object> t : asObject(file, "spot_advisor." + region.getKey() + ".Linux", linuxTypes).entrySet()) {
                String where = "spot_advisor." + region.getKey() + ".Linux." + t.getKey();
                Map<String, Object> v = asObject(file, where, t.getValue());
                int r = number(file, where + ".r", v.get("r")).intValue();
                int s = number(file, where + ".s", v.get("s")).intValue();
                if (r < 0 || r > 4) {
                    throw SpotkeeperException.malformedFile(file, 0, where + ".r must be 0..4, was " + r);
                }
                entries.put(t.getKey(), new Entry(InterruptionBand.ofIndex(r), s));
            }
            linux.put(region.getKey(), entries);
        }
        Object rate = root.get("global_rate");
        return new SpotAdvisorFeed(new InstanceCatalog(catalog), linux, rate == null ? "" : rate.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(String file, Map<String, Object> root, String key) {
        Object v = root.get(key);
        if (!(v instanceof Map)) {
            throw SpotkeeperException.malformedFile(file, 0,
                    "expected an object member \"" + key + "\" (is this a Spot Advisor feed?)");
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(String file, String where, Object v) {
        if (!(v instanceof Map)) {
            throw SpotkeeperException.malformedFile(file, 0, where + " should be an object but is " + Json.typeName(v));
        }
        return (Map<String, Object>) v;
    }

    private static Number number(String file, String where, Object v) {
        if (!(v instanceof Number n)) {
            throw SpotkeeperException.malformedFile(file, 0, where + " should be a number but is " + Json.typeName(v));
        }
        return n;
    }
}
