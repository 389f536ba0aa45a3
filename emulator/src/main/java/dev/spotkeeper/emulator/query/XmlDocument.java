package dev.spotkeeper.emulator.query;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The element writer AWS's XML answers share (the query protocol's and EC2's): nested elements, text escaped as
 * XML 1.0 requires, times with milliseconds as AWS writes them. Subclasses write the root their protocol wants.
 *
 * @param <T> the subclass, so that chained calls keep its type
 */
public abstract class XmlDocument<T extends XmlDocument<T>> {
    protected final StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    protected XmlDocument() {
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    public T open(String name) {
        sb.append('<').append(name).append('>');
        open.push(name);
        return self();
    }

    public T close() {
        sb.append("</").append(open.pop()).append('>');
        return self();
    }

    /** An element with text; nothing when the value is null (absent members are left out, as AWS does). */
    public T el(String name, Object value) {
        if (value == null) {
            return self();
        }
        String text = value instanceof Instant i ? time(i) : value.toString();
        sb.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
        return self();
    }

    public T empty(String name) {
        sb.append('<').append(name).append("/>");
        return self();
    }

    /** Closes every element still open, innermost first. */
    protected void closeAll() {
        while (!open.isEmpty()) {
            close();
        }
    }

    public static String time(Instant i) {
        return i.truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(\\d\\d:\\d\\d:\\d\\d)Z$", "$1.000Z");
    }

    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
