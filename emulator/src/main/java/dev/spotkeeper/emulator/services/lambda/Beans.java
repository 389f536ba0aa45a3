package dev.spotkeeper.emulator.services.lambda;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds a JSON value (as {@code core.json.Json} reads it) to a handler's input type and its output back to JSON, as
 * Lambda's Java runtime does for the event classes: by setters and getters whose names match the JSON fields
 * without regard to case ({@code eventSourceARN} → {@code setEventSourceArn}), lists and maps by their generic types.
 */
final class Beans {
    private Beans() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object bind(Object json, Type type) throws ReflectiveOperationException {
        if (json == null) {
            return null;
        }
        Class<?> raw = raw(type);
        if (raw == Object.class || raw.isInstance(json) && !(json instanceof Map) && !(json instanceof List)) {
            return json;
        }
        if (raw == String.class) {
            return json instanceof String ? json : dev.spotkeeper.core.json.Json.write(json);
        }
        if (json instanceof Number n) {
            if (raw == int.class || raw == Integer.class) {
                return n.intValue();
            }
            if (raw == long.class || raw == Long.class) {
                return n.longValue();
            }
            if (raw == double.class || raw == Double.class) {
                return n.doubleValue();
            }
        }
        if (json instanceof List<?> list && (List.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw))) {
            Type element = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            List out = new ArrayList();
            for (Object o : list) {
                out.add(bind(o, element));
            }
            return out;
        }
        if (json instanceof Map<?, ?> map && Map.class.isAssignableFrom(raw)) {
            Type value = type instanceof ParameterizedType p ? p.getActualTypeArguments()[1] : Object.class;
            Map out = new LinkedHashMap();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(e.getKey(), bind(e.getValue(), value));
            }
            return out;
        }
        if (json instanceof Map<?, ?> map) {
            Object bean = raw.getDeclaredConstructor().newInstance();
            Map<String, Method> setters = new LinkedHashMap<>();
            for (Method m : raw.getMethods()) {
                if (m.getName().startsWith("set") && m.getParameterCount() == 1) {
                    setters.put(m.getName().substring(3).toLowerCase(Locale.ROOT), m);
                }
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Method setter = setters.get(String.valueOf(e.getKey()).toLowerCase(Locale.ROOT));
                if (setter != null) {
                    setter.invoke(bean, bind(e.getValue(), setter.getGenericParameterTypes()[0]));
                }
            }
            return bean;
        }
        throw new IllegalArgumentException("cannot read " + json.getClass().getSimpleName() + " as " + raw.getName());
    }

    static Object toJson(Object value) throws ReflectiveOperationException {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) {
                out.add(toJson(o));
            }
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), toJson(e.getValue()));
            }
            return out;
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Method m : value.getClass().getMethods()) {
            String n = m.getName();
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                    || !(n.startsWith("get") && n.length() > 3 || n.startsWith("is") && n.length() > 2
                    && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class))) {
                continue;
            }
            String field = n.startsWith("get") ? n.substring(3) : n.substring(2);
            Object v = m.invoke(value);
            if (v != null) {
                out.put(Character.toLowerCase(field.charAt(0)) + field.substring(1), toJson(v));
            }
        }
        return out;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }
}
