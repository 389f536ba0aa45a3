package dev.spotkeeper.emulator.cloudformation.internal;

import java.util.List;
import java.util.Map;

/**
 * A CloudFormation property as EC2's query parameters: structures as {@code Prefix.Key}, lists as
 * {@code Prefix.N} under the singular name EC2 uses ({@code TagSpecifications} → {@code TagSpecification.1}).
 */
final class Ec2Flattening {
    private Ec2Flattening() {
    }

    static void flatten(String prefix, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                flatten(prefix + "." + (v instanceof List<?> ? singular(key) : key), v, out);
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "." + (i + 1), list.get(i), out);
            }
        } else if (value != null) {
            out.put(prefix, String.valueOf(value));
        }
    }

    private static String singular(String key) {
        return key.endsWith("s") && !key.endsWith("ss") ? key.substring(0, key.length() - 1) : key;
    }
}
