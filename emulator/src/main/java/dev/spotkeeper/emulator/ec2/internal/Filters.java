package dev.spotkeeper.emulator.ec2.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** EC2 filter matching: any of a filter's values matches, {@code *} and {@code ?} are wildcards. */
final class Filters {
    private Filters() {
    }

    /** True when {@code name} is not among the filters, or one of its values matches {@code value}. */
    static boolean matches(Map<String, List<String>> filters, String name, String value) {
        List<String> values = filters.get(name);
        if (values == null) {
            return true;
        }
        if (value == null) {
            return false;
        }
        for (String v : values) {
            if (glob(v).matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String pattern) {
        StringBuilder sb = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            switch (ch) {
                case '*' -> sb.append(".*");
                case '?' -> sb.append('.');
                default -> sb.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(sb.toString());
    }
}
