package dev.spotkeeper.emulator.cloudformation.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A stack's parameter values: given, kept from the stack ({@code UsePreviousValue}) or the default, checked. */
final class Parameters {
    /** A parameter of the call: its value, or that it keeps the stack's. */
    record Given(String key, String value, boolean usePrevious) {
    }

    /**
     * The emulator stands for an environment that {@code cdk bootstrap} prepared: the bootstrap's version parameter
     * in Systems Manager reads as this version. It holds no other parameter.
     */
    static final String CDK_BOOTSTRAP_VERSION = "30";

    private Parameters() {
    }

    static Map<String, String> resolve(Template template, List<Given> given, Map<String, String> previous) {
        Map<String, Given> byKey = new LinkedHashMap<>();
        given.forEach(g -> byKey.put(g.key(), g));
        TreeSet<String> unknown = new TreeSet<>(byKey.keySet());
        unknown.removeAll(template.parameters.keySet());
        if (!unknown.isEmpty()) {
            throw new TemplateError("Parameters: " + unknown + " do not exist in the template");
        }
        Map<String, String> values = new LinkedHashMap<>();
        TreeSet<String> missing = new TreeSet<>();
        for (Map.Entry<String, Map<String, Object>> e : template.parameters.entrySet()) {
            Given g = byKey.get(e.getKey());
            Object dflt = e.getValue().get("Default");
            String value = g == null ? null : g.usePrevious() ? previous.get(e.getKey()) : g.value();
            if (value == null && dflt != null) {
                value = String.valueOf(dflt);
            }
            if (value == null) {
                missing.add(e.getKey());
                continue;
            }
            check(e.getKey(), e.getValue(), value);
            values.put(e.getKey(), value);
        }
        if (!missing.isEmpty()) {
            throw new TemplateError("Parameters: " + missing + " must have values");
        }
        return values;
    }

    private static void check(String key, Map<String, Object> declaration, String value) {
        if (declaration.get("AllowedValues") instanceof List<?> allowed
                && !allowed.stream().map(String::valueOf).toList().contains(value)) {
            throw new TemplateError("Parameter '" + key + "' must be one of AllowedValues");
        }
        String type = String.valueOf(declaration.getOrDefault("Type", "String"));
        if (type.equals("Number")) {
            try {
                Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new TemplateError("Parameter '" + key + "' must be a number not '" + value + "'");
            }
        }
        if (type.startsWith("AWS::SSM::Parameter::Value<") && ssm(value) == null) {
            throw new TemplateError("Unable to fetch parameters [" + value + "] from parameter store for this"
                    + " account. (The emulator holds only the CDK bootstrap's version parameter.)");
        }
    }

    /** The parameter's value as the template's functions see it (a list for the list types). */
    static Object value(Map<String, Object> declaration, String raw) {
        String type = String.valueOf(declaration.getOrDefault("Type", "String"));
        String v = type.startsWith("AWS::SSM::Parameter::Value<") ? ssm(raw) : raw;
        if (type.equals("CommaDelimitedList") || type.startsWith("List<")
                || type.startsWith("AWS::SSM::Parameter::Value<List<")) {
            List<Object> items = new ArrayList<>();
            for (String s : v.split(",", -1)) {
                items.add(s.trim());
            }
            return items;
        }
        return v;
    }

    private static String ssm(String name) {
        return name.startsWith("/cdk-bootstrap/") && name.endsWith("/version") ? CDK_BOOTSTRAP_VERSION : null;
    }
}
