package dev.spotkeeper.emulator.query;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        try {
            return FlatFields.decodeForm(form);
        } catch (IllegalArgumentException e) {
            throw QueryError.sender("MalformedQueryString", "The request is not form-encoded: " + e.getMessage());
        }
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
        return FlatFields.indexed(values, prefix + ".member.");
    }

    /** The structures {@code prefix.member.N.*}, each with its prefix stripped, in index order. */
    public List<QueryParams> structs(String prefix) {
        return FlatFields.indexedStructs(values, prefix + ".member.").stream().map(QueryParams::new).toList();
    }

    /**
     * The structures {@code prefix.N.*} with no {@code member} level, as SNS writes maps
     * ({@code MessageAttributes.entry.N.Name}), each with its prefix stripped, in index order.
     */
    public List<QueryParams> entries(String prefix) {
        return FlatFields.indexedStructs(values, prefix + ".").stream().map(QueryParams::new).toList();
    }

    /** The members under {@code prefix.} with the prefix stripped (a nested structure). */
    public QueryParams sub(String prefix) {
        return new QueryParams(FlatFields.under(values, prefix + "."));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    private static String lowerFirst(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
