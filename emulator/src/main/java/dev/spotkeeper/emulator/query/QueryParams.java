package dev.spotkeeper.emulator.query;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parameters of one query-protocol request, flattened as the SDKs send them: lists as
 * {@code TargetGroupArns.member.1}, structures as {@code Targets.member.2.Id}, maps as
 * {@code Attributes.member.1.Key}/{@code .Value}.
 */
public final class QueryParams {
    private final Map<String, String> values;

    public QueryParams(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Parses {@code a=b&c=d}; a malformed escape is the caller's mistake, never an exception out of the server. */
    public static Map<String, String> parseForm(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        if (form == null || form.isBlank()) {
            return values;
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
                throw QueryError.sender("MalformedQueryString", "The request is not form-encoded: " + e.getMessage());
            }
        }
        return values;
    }

    public Optional<String> get(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> QueryError.missing(lowerFirst(name)));
    }

    public Optional<Integer> integer(String name) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(v.get().trim()));
        } catch (NumberFormatException e) {
            throw QueryError.validation("Value '" + v.get() + "' at '" + lowerFirst(name)
                    + "' failed to satisfy constraint: Member must be an integer");
        }
    }

    public Optional<Boolean> bool(String name) {
        return get(name).map(Boolean::parseBoolean);
    }

    /** The values of {@code prefix.member.1}, {@code prefix.member.2}, … in index order. */
    public List<String> members(String prefix) {
        Map<Integer, String> sorted = new TreeMap<>();
        String p = prefix + ".member.";
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

    /** The structures {@code prefix.member.N.*}, each with its prefix stripped, in index order. */
    public List<QueryParams> structs(String prefix) {
        Map<Integer, Map<String, String>> sorted = new TreeMap<>();
        String p = prefix + ".member.";
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

    /** The members under {@code prefix.} with the prefix stripped (a nested structure). */
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

    public boolean isEmpty() {
        return values.isEmpty();
    }

    private static String lowerFirst(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
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
