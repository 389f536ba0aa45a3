package dev.spotkeeper.core.workload;

import dev.spotkeeper.core.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A generic webhook's JSON body with {@code {{placeholders}}}: each is replaced by its value escaped as the inside of
 * a JSON string, so {@code "text": "{{text}}"} stays valid whatever the text holds; {@code {{count}}} and
 * {@code {{costSoFar}}} are numbers and may stand outside quotes. Checked at submit, filled by the sender.
 */
public final class WebhookTemplate {
    /** The placeholders, each with a sample value that {@link #problem} fills in to check the result is JSON. */
    public static final Map<String, String> PLACEHOLDERS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("id", "train-42");
        m.put("workload", "train");
        m.put("event", "warning");
        m.put("title", "Interruption warning");
        m.put("text", "sample \"text\"\nline two");
        m.put("instance", "i-0123456789abcdef0");
        m.put("pool", "us-east-1/us-east-1a/m5.large");
        m.put("costSoFar", "1.2345");
        m.put("next", "what happens next");
        m.put("time", "2026-01-01T00:00:00Z");
        m.put("count", "1");
        m.put("language", "en");
        PLACEHOLDERS = java.util.Collections.unmodifiableMap(m);
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

    private WebhookTemplate() {
    }

    /** The template with every placeholder replaced by its value (empty when {@code values} lacks it). */
    public static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.getOrDefault(m.group(1), "");
            String quoted = Json.write(v);
            m.appendReplacement(out, Matcher.quoteReplacement(quoted.substring(1, quoted.length() - 1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** What is wrong with the template, if anything: an unknown placeholder, or a body that is not a JSON object. */
    public static Optional<String> problem(String template) {
        Set<String> unknown = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.containsKey(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        if (!unknown.isEmpty()) {
            return Optional.of("uses unknown placeholders " + unknown + "; known: " + PLACEHOLDERS.keySet());
        }
        try {
            Json.parseObject(fill(template, PLACEHOLDERS));
        } catch (RuntimeException e) {
            return Optional.of("is not a JSON object once its placeholders are filled: " + e.getMessage());
        }
        return Optional.empty();
    }
}
