package dev.spotkeeper.emulator.services.events;

import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An EventBridge event pattern, as the EventBridge user guide's "Event patterns" and "Content filtering" pages
 * describe it: an object whose fields name event fields; a nested object matches a nested field, an array lists the
 * values one of which must match. A value is an exact string, number, boolean or null, or one of the filters
 * {@code prefix}, {@code suffix}, {@code equals-ignore-case}, {@code anything-but} (a value, a list, or a
 * {@code prefix}/{@code suffix}), {@code exists} and {@code numeric} (up to two comparisons). An event field that is
 * an array matches when any of its elements does. Every field of the pattern must match ({@code $or} is not
 * served). Construction refuses what EventBridge refuses with {@code InvalidEventPatternException}.
 */
public final class EventPattern {
    /** A pattern EventBridge would refuse with {@code InvalidEventPatternException}. */
    public static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message);
        }
    }

    private final Map<String, Object> pattern;
    private final String text;

    private EventPattern(String text, Map<String, Object> pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** Parses and checks a pattern; {@link IllegalArgumentException} says what is wrong. */
    public static EventPattern parse(String text) {
        Map<String, Object> parsed;
        try {
            parsed = Json.parseObject(text);
        } catch (JsonException e) {
            throw new Invalid("Event pattern is not valid JSON: " + e.getMessage());
        }
        check(parsed, "");
        return new EventPattern(text, parsed);
    }

    public String text() {
        return text;
    }

    public boolean matches(Map<String, Object> event) {
        return matchesObject(pattern, event);
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> pattern, String path) {
        if (pattern.isEmpty() && !path.isEmpty()) {
            throw new Invalid("Empty objects are not allowed at " + path);
        }
        for (Map.Entry<String, Object> e : pattern.entrySet()) {
            String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getKey().startsWith("$")) {
                throw new Invalid("The emulator does not serve " + e.getKey() + " (at " + at + ")");
            }
            if (e.getValue() instanceof Map<?, ?> nested) {
                check((Map<String, Object>) nested, at);
            } else if (e.getValue() instanceof List<?> values) {
                if (values.isEmpty()) {
                    throw new Invalid("Empty arrays are not allowed at " + at);
                }
                for (Object v : values) {
                    checkValue(v, at);
                }
            } else {
                throw new Invalid("Match value must be String, number, true, false, or null at " + at
                        + "; put the value in an array: [" + Json.write(e.getValue()) + "]");
            }
        }
    }

    private static void checkValue(Object v, String at) {
        if (!(v instanceof Map<?, ?> filter)) {
            if (v instanceof List) {
                throw new Invalid("Match value must be String, number, true, false, or null at " + at);
            }
            return;
        }
        if (filter.size() != 1) {
            throw new Invalid("A filter takes exactly one key at " + at);
        }
        Map.Entry<?, ?> f = filter.entrySet().iterator().next();
        Object arg = f.getValue();
        switch (String.valueOf(f.getKey())) {
            case "prefix", "suffix", "equals-ignore-case" -> {
                if (!(arg instanceof String)) {
                    throw new Invalid(f.getKey() + " match pattern must be a string at " + at);
                }
            }
            case "exists" -> {
                if (!(arg instanceof Boolean)) {
                    throw new Invalid("exists match pattern must be either true or false at " + at);
                }
            }
            case "anything-but" -> {
                if (arg instanceof Map<?, ?> inner) {
                    if (inner.size() != 1 || !(inner.get("prefix") instanceof String || inner.get("suffix") instanceof String)) {
                        throw new Invalid("anything-but takes a value, a list of values, or a prefix"
                                + " or suffix at " + at);
                    }
                } else if (arg instanceof List<?> list) {
                    for (Object o : list) {
                        if (o instanceof Map || o instanceof List) {
                            throw new Invalid("anything-but lists only values at " + at);
                        }
                    }
                }
            }
            case "numeric" -> numericCheck(arg, at);
            default -> throw new Invalid("Unrecognized match type " + f.getKey() + " at " + at);
        }
    }

    private static void numericCheck(Object arg, String at) {
        if (!(arg instanceof List<?> list) || list.isEmpty() || list.size() % 2 != 0 || list.size() > 4) {
            throw new Invalid("numeric takes one or two pairs of operator and number at " + at);
        }
        for (int i = 0; i < list.size(); i += 2) {
            if (!List.of("<", "<=", "=", ">", ">=").contains(list.get(i)) || !(list.get(i + 1) instanceof Number)) {
                throw new Invalid("Unrecognized numeric range operator or value at " + at);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean matchesObject(Map<String, Object> pattern, Object event) {
        Map<String, Object> fields = event instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        for (Map.Entry<String, Object> e : pattern.entrySet()) {
            boolean present = fields.containsKey(e.getKey());
            Object value = fields.get(e.getKey());
            if (e.getValue() instanceof Map<?, ?> nested) {
                if (!matchesObject((Map<String, Object>) nested, value)) {
                    return false;
                }
            } else if (!matchesField((List<Object>) e.getValue(), present, value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesField(List<Object> allowed, boolean present, Object value) {
        List<Object> values = new ArrayList<>();
        if (value instanceof List<?> list) {
            values.addAll(list);
        } else if (present) {
            values.add(value);
        }
        for (Object a : allowed) {
            if (a instanceof Map<?, ?> filter && filter.containsKey("exists")) {
                boolean wanted = (Boolean) filter.get("exists");
                boolean has = present && !(value instanceof Map) && !values.isEmpty();
                if (wanted == has) {
                    return true;
                }
                continue;
            }
            for (Object v : values) {
                if (matchesValue(a, v)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchesValue(Object allowed, Object value) {
        if (!(allowed instanceof Map<?, ?> filter)) {
            return same(allowed, value);
        }
        Map.Entry<?, ?> f = filter.entrySet().iterator().next();
        Object arg = f.getValue();
        return switch (String.valueOf(f.getKey())) {
            case "prefix" -> value instanceof String s && s.startsWith((String) arg);
            case "suffix" -> value instanceof String s && s.endsWith((String) arg);
            case "equals-ignore-case" -> value instanceof String s
                    && s.toLowerCase(Locale.ROOT).equals(((String) arg).toLowerCase(Locale.ROOT));
            case "anything-but" -> anythingBut(arg, value);
            case "numeric" -> value instanceof Number n && numeric((List<?>) arg, n.doubleValue());
            default -> false;
        };
    }

    private static boolean anythingBut(Object arg, Object value) {
        if (arg instanceof Map<?, ?> inner) {
            if (!(value instanceof String s)) {
                return false;
            }
            return inner.get("prefix") instanceof String p ? !s.startsWith(p) : !s.endsWith((String) inner.get("suffix"));
        }
        if (arg instanceof List<?> list) {
            for (Object o : list) {
                if (same(o, value)) {
                    return false;
                }
            }
            return true;
        }
        return !same(arg, value);
    }

    private static boolean numeric(List<?> ops, double v) {
        for (int i = 0; i < ops.size(); i += 2) {
            double bound = ((Number) ops.get(i + 1)).doubleValue();
            boolean ok = switch ((String) ops.get(i)) {
                case "<" -> v < bound;
                case "<=" -> v <= bound;
                case "=" -> v == bound;
                case ">" -> v > bound;
                default -> v >= bound;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a == null ? b == null : a.equals(b);
    }
}
