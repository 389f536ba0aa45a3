package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.emulator.query.FlatFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of one EC2 query request, flattened as the query protocol sends them
 * ({@code Filter.1.Name}, {@code Filter.1.Value.1}, {@code TagSpecification.1.Tag.2.Key}).
 */
public final class QueryParams {
    private final Map<String, String> values;

    public QueryParams(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Parses {@code a=b&c=d}; a malformed escape is a client error, never an exception out of the server. */
    public static QueryParams parse(String form) {
        try {
            return new QueryParams(FlatFields.decodeForm(form));
        } catch (IllegalArgumentException e) {
            throw Ec2Error.client("MalformedQueryString", "The request body is not form-encoded: " + e.getMessage());
        }
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public Optional<String> get(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> Ec2Error.missing(name));
    }

    public int integer(String name, int fallback) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw Ec2Error.invalid("Invalid value '" + v.get() + "' for " + name + ": expected an integer.");
        }
    }

    public Optional<Double> decimal(String name) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Double.parseDouble(v.get().trim()));
        } catch (NumberFormatException e) {
            throw Ec2Error.invalid("Invalid value '" + v.get() + "' for " + name + ": expected a number.");
        }
    }

    public boolean bool(String name) {
        return get(name).map(Boolean::parseBoolean).orElse(false);
    }

    /** The values of {@code prefix.1}, {@code prefix.2}, … in index order. */
    public List<String> list(String prefix) {
        return FlatFields.indexed(values, prefix + ".");
    }

    /** The structures {@code prefix.N.*}, each with {@code prefix.N.} stripped, in index order. */
    public List<QueryParams> structs(String prefix) {
        return FlatFields.indexedStructs(values, prefix + ".").stream().map(QueryParams::new).toList();
    }

    /** The members under {@code prefix.} with the prefix stripped. */
    public QueryParams sub(String prefix) {
        return new QueryParams(FlatFields.under(values, prefix + "."));
    }

    /** {@code Filter.N.Name} / {@code Filter.N.Value.M} as name → values. */
    public Map<String, List<String>> filters() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (QueryParams f : structs("Filter")) {
            String name = f.get("Name").orElseThrow(() -> Ec2Error.missing("Filter.N.Name"));
            out.computeIfAbsent(name, n -> new ArrayList<>()).addAll(f.list("Value"));
        }
        return out;
    }
}
