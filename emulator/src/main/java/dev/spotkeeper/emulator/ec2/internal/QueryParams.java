package dev.spotkeeper.emulator.ec2.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
        Map<String, String> values = new LinkedHashMap<>();
        if (form == null || form.isBlank()) {
            return new QueryParams(values);
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.put(key, value);
            } catch (IllegalArgumentException e) {
                throw Ec2Error.client("MalformedQueryString", "The request body is not form-encoded: " + e.getMessage());
            }
        }
        return new QueryParams(values);
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
        Map<Integer, String> sorted = new TreeMap<>();
        String p = prefix + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(p)) {
                Integer index = index(e.getKey().substring(p.length()));
                if (index != null) {
                    sorted.put(index, e.getValue());
                }
            }
        }
        return new ArrayList<>(sorted.values());
    }

    /** The structures {@code prefix.N.*}, each with {@code prefix.N.} stripped, in index order. */
    public List<QueryParams> structs(String prefix) {
        Map<Integer, Map<String, String>> sorted = new TreeMap<>();
        String p = prefix + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getKey().startsWith(p)) {
                continue;
            }
            String rest = e.getKey().substring(p.length());
            int dot = rest.indexOf('.');
            Integer index = dot < 0 ? null : index(rest.substring(0, dot));
            if (index != null) {
                sorted.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(rest.substring(dot + 1), e.getValue());
            }
        }
        List<QueryParams> out = new ArrayList<>();
        sorted.values().forEach(m -> out.add(new QueryParams(m)));
        return out;
    }

    /** The members under {@code prefix.} with the prefix stripped. */
    public QueryParams sub(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        String p = prefix + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(p)) {
                m.put(e.getKey().substring(p.length()), e.getValue());
            }
        }
        return new QueryParams(m);
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

    private static Integer index(String s) {
        if (s.isEmpty() || s.length() > 6) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return null;
            }
        }
        return Integer.parseInt(s);
    }
}
