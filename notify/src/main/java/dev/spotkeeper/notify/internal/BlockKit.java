package dev.spotkeeper.notify.internal;

import dev.spotkeeper.notify.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A message as Slack Block Kit with its plain-text fallback, within Slack's limits: a header's text up to 150
 * characters, a section's text up to 3,000, up to 10 fields of up to 2,000 each, up to 50 blocks; the fallback
 * {@code text} is kept to 3,000 (Slack truncates long messages, and the fallback is what notifications show).
 */
final class BlockKit {
    static final int HEADER = 150;
    static final int SECTION = 3000;
    static final int FIELDS = 10;
    static final int FIELD = 2000;
    static final int BLOCKS = 50;
    static final int FALLBACK = 3000;

    private BlockKit() {
    }

    /** {@code text} and {@code blocks}: the body of an incoming webhook, and most of a chat.postMessage. */
    static Map<String, Object> body(Message m, Messages texts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", cut(escape(m.plainText()), FALLBACK));
        body.put("blocks", blocks(m, texts));
        return body;
    }

    static List<Object> blocks(Message m, Messages texts) {
        List<Object> blocks = new ArrayList<>();
        blocks.add(obj("type", "header", "text", plain(cut(m.title(), HEADER))));
        List<Object> fields = new ArrayList<>();
        for (Message.Fact f : m.facts()) {
            if (fields.size() == FIELDS) {
                break;
            }
            fields.add(mrkdwn(cut("*" + escape(f.label()) + "*\n" + escape(f.value()), FIELD)));
        }
        if (!fields.isEmpty()) {
            blocks.add(obj("type", "section", "fields", fields));
        }
        if (!m.next().isEmpty()) {
            blocks.add(section("*" + escape(texts.text("label.next")) + "*\n" + escape(m.next())));
        }
        if (!m.detail().isEmpty()) {
            blocks.add(section("*" + escape(texts.text("label.detail")) + "*\n" + escape(m.detail())));
        }
        blocks.add(obj("type", "context", "elements", List.of(mrkdwn(cut(escape(texts.text("label.id")) + ": "
                + escape(m.id()) + " · " + m.time(), FIELD)))));
        return blocks.size() > BLOCKS ? blocks.subList(0, BLOCKS) : blocks;
    }

    private static Map<String, Object> section(String text) {
        return obj("type", "section", "text", mrkdwn(cut(text, SECTION)));
    }

    private static Map<String, Object> plain(String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "plain_text");
        m.put("text", text);
        return m;
    }

    private static Map<String, Object> mrkdwn(String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "mrkdwn");
        m.put("text", text);
        return m;
    }

    /** A JSON object with its members in the order given. */
    static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** Slack's three control characters in text (it reads {@code <…>} as links and mentions). */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** At most {@code max} characters (code points kept whole), ending in "…" when cut. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
