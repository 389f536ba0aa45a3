package dev.spotkeeper.emulator.services.fis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed access to members of a parsed request body, with ValidationExceptions that name the member. */
final class JsonFields {
    private JsonFields() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asObject(Object value, String where) {
        if (!(value instanceof Map)) {
            throw FisException.validation(where + " must be a JSON object");
        }
        return (Map<String, Object>) value;
    }

    static Map<String, Object> object(Map<String, Object> json, String key, String where) {
        Object value = json.get(key);
        return value == null ? Map.of() : asObject(value, "'" + key + "' in the " + where);
    }

    static List<?> list(Map<String, Object> json, String key) {
        Object value = json.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw FisException.validation("'" + key + "' must be a JSON array");
        }
        return list;
    }

    static String string(Map<String, Object> json, String key, String fallback) {
        Object value = json.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String s)) {
            throw FisException.validation("'" + key + "' must be a string");
        }
        return s;
    }

    static Map<String, String> stringMap(Map<String, Object> json, String key) {
        Object value = json.get(key);
        if (value == null) {
            return Map.of();
        }
        Map<String, String> result = new LinkedHashMap<>();
        asObject(value, "'" + key + "'").forEach((k, v) -> {
            if (!(v instanceof String s)) {
                throw FisException.validation("'" + key + "." + k + "' must be a string");
            }
            result.put(k, s);
        });
        return result;
    }
}
