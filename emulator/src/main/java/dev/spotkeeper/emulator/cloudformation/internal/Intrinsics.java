package dev.spotkeeper.emulator.cloudformation.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template's intrinsic functions: {@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}, {@code Fn::Join},
 * {@code Fn::Select}, {@code Fn::Split}, {@code Fn::If} and the condition functions, and {@code Fn::GetAZs}.
 * {@code AWS::NoValue} removes the property or list item it is in, as CloudFormation does.
 */
final class Intrinsics {
    /** What the functions read: parameters, pseudo parameters and resources, and the template's conditions. */
    interface Scope {
        Object ref(String name);

        Object getAtt(String logicalId, String attribute);

        boolean condition(String name);

        String region();
    }

    /** Marks a removed value ({@code Ref: AWS::NoValue}). */
    static final Object NO_VALUE = new Object();
    private static final Pattern SUB = Pattern.compile("\\$\\{(!?)([^}]*)}");

    private Intrinsics() {
    }

    static Object resolve(Object value, Scope scope) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = (String) map.keySet().iterator().next();
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return function(key, map.get(key), scope);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object v = resolve(e.getValue(), scope);
                if (v != NO_VALUE) {
                    out.put((String) e.getKey(), v);
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                Object v = resolve(item, scope);
                if (v != NO_VALUE) {
                    out.add(v);
                }
            }
            return out;
        }
        return value;
    }

    private static Object function(String name, Object arg, Scope scope) {
        return switch (name) {
            case "Ref" -> {
                String ref = string(resolve(arg, scope), name);
                yield ref.equals("AWS::NoValue") ? NO_VALUE : scope.ref(ref);
            }
            case "Fn::GetAtt" -> getAtt(resolve(arg, scope), scope);
            case "Fn::Join" -> join(list(arg, name, 2), scope);
            case "Fn::Sub" -> sub(arg, scope);
            case "Fn::Select" -> select(list(arg, name, 2), scope);
            case "Fn::Split" -> {
                List<?> a = list(arg, name, 2);
                String text = string(resolve(a.get(1), scope), name);
                yield new ArrayList<Object>(List.of(text.split(Pattern.quote(string(a.get(0), name)), -1)));
            }
            case "Fn::If" -> {
                List<?> a = list(arg, name, 3);
                yield resolve(scope.condition(string(a.get(0), name)) ? a.get(1) : a.get(2), scope);
            }
            case "Fn::Equals" -> {
                List<?> a = list(arg, name, 2);
                yield String.valueOf(resolve(a.get(0), scope)).equals(String.valueOf(resolve(a.get(1), scope)));
            }
            case "Fn::Not" -> !truth(list(arg, name, 1).get(0), scope);
            case "Fn::And" -> list(arg, name, -1).stream().allMatch(c -> truth(c, scope));
            case "Fn::Or" -> list(arg, name, -1).stream().anyMatch(c -> truth(c, scope));
            case "Fn::Contains" -> {
                List<?> a = list(arg, name, 2);
                Object haystack = resolve(a.get(0), scope);
                Object needle = resolve(a.get(1), scope);
                yield haystack instanceof List<?> l && l.stream().map(String::valueOf).toList()
                        .contains(String.valueOf(needle));
            }
            case "Fn::GetAZs" -> {
                String region = string(resolve(arg, scope), name);
                String r = region.isEmpty() ? scope.region() : region;
                yield new ArrayList<Object>(List.of(r + "a", r + "b", r + "c"));
            }
            case "Fn::Base64" -> java.util.Base64.getEncoder().encodeToString(
                    string(resolve(arg, scope), name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            default -> throw new TemplateError("Template format error: Unrecognized function " + name
                    + " (the emulator implements Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If,"
                    + " Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Contains, Fn::GetAZs and Fn::Base64)");
        };
    }

    private static boolean truth(Object condition, Scope scope) {
        if (condition instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Condition")) {
            return scope.condition(string(m.get("Condition"), "Condition"));
        }
        Object v = resolve(condition, scope);
        if (v instanceof Boolean b) {
            return b;
        }
        return Boolean.parseBoolean(String.valueOf(v));
    }

    private static Object getAtt(Object arg, Scope scope) {
        String logical;
        String attribute;
        if (arg instanceof String s) {
            int dot = s.indexOf('.');
            if (dot < 0) {
                throw new TemplateError("Template error: Fn::GetAtt " + s + " names no attribute (Resource.Attribute)");
            }
            logical = s.substring(0, dot);
            attribute = s.substring(dot + 1);
        } else {
            List<?> a = list(arg, "Fn::GetAtt", 2);
            logical = string(a.get(0), "Fn::GetAtt");
            attribute = string(a.get(1), "Fn::GetAtt");
        }
        return scope.getAtt(logical, attribute);
    }

    private static String join(List<?> a, Scope scope) {
        String delimiter = string(a.get(0), "Fn::Join");
        Object items = resolve(a.get(1), scope);
        if (!(items instanceof List<?> l)) {
            throw new TemplateError("Template error: Fn::Join's second argument must be a list");
        }
        List<String> parts = new ArrayList<>();
        l.forEach(i -> parts.add(scalar(i, "Fn::Join")));
        return String.join(delimiter, parts);
    }

    private static Object select(List<?> a, Scope scope) {
        int index;
        try {
            index = Integer.parseInt(scalar(resolve(a.get(0), scope), "Fn::Select"));
        } catch (NumberFormatException e) {
            throw new TemplateError("Template error: Fn::Select's index must be a number");
        }
        Object items = resolve(a.get(1), scope);
        if (!(items instanceof List<?> l)) {
            throw new TemplateError("Template error: Fn::Select's second argument must be a list");
        }
        if (index < 0 || index >= l.size()) {
            throw new TemplateError("Template error: Fn::Select cannot select nonexistent value at index " + index);
        }
        return l.get(index);
    }

    private static String sub(Object arg, Scope scope) {
        String text;
        Map<?, ?> variables = Map.of();
        if (arg instanceof String s) {
            text = s;
        } else {
            List<?> a = list(arg, "Fn::Sub", 2);
            text = string(a.get(0), "Fn::Sub");
            if (!(a.get(1) instanceof Map<?, ?> m)) {
                throw new TemplateError("Template error: Fn::Sub's second argument must be a map of variables");
            }
            variables = m;
        }
        Matcher m = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = "${" + m.group(2) + "}";
            } else if (variables.containsKey(m.group(2))) {
                replacement = scalar(resolve(variables.get(m.group(2)), scope), "Fn::Sub");
            } else {
                String v = m.group(2).trim();
                int dot = v.indexOf('.');
                replacement = scalar(dot < 0 || v.startsWith("AWS::") ? scope.ref(v)
                        : scope.getAtt(v.substring(0, dot), v.substring(dot + 1)), "Fn::Sub");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The resources a value refers to ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Sub}'s variables). */
    static Set<String> references(Object value) {
        Set<String> out = new LinkedHashSet<>();
        collect(value, out);
        return out;
    }

    private static void collect(Object value, Set<String> out) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Object key = map.keySet().iterator().next();
                Object arg = map.get(key);
                if (key.equals("Ref") && arg instanceof String s) {
                    out.add(s);
                    return;
                }
                if (key.equals("Fn::GetAtt")) {
                    if (arg instanceof String s) {
                        out.add(s.contains(".") ? s.substring(0, s.indexOf('.')) : s);
                    } else if (arg instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s) {
                        out.add(s);
                    }
                    return;
                }
                if (key.equals("Fn::Sub")) {
                    Object text = arg instanceof List<?> l && !l.isEmpty() ? l.get(0) : arg;
                    Map<?, ?> vars = arg instanceof List<?> l && l.size() > 1 && l.get(1) instanceof Map<?, ?> v
                            ? v : Map.of();
                    if (text instanceof String s) {
                        Matcher m = SUB.matcher(s);
                        while (m.find()) {
                            String name = m.group(2).trim();
                            if (m.group(1).isEmpty() && !vars.containsKey(name)) {
                                out.add(name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
                            }
                        }
                    }
                    collect(vars, out);
                    return;
                }
            }
            map.values().forEach(v -> collect(v, out));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collect(v, out));
        }
    }

    private static List<?> list(Object arg, String function, int size) {
        if (!(arg instanceof List<?> l) || size >= 0 && l.size() != size) {
            throw new TemplateError("Template error: " + function + " takes a list"
                    + (size >= 0 ? " of " + size + " values" : ""));
        }
        return l;
    }

    private static String string(Object v, String function) {
        if (!(v instanceof String s)) {
            throw new TemplateError("Template error: " + function + " needs a string here, not " + describe(v));
        }
        return s;
    }

    static String scalar(Object v, String function) {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        throw new TemplateError("Template error: " + function + " needs a string here, not " + describe(v));
    }

    private static String describe(Object v) {
        return v == null ? "null" : v instanceof Map ? "an object" : v instanceof List ? "a list" : String.valueOf(v);
    }
}
