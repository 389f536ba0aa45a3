package dev.spotkeeper.emulator.query;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A writer for the query protocol's answers: {@code <ActionResponse xmlns=…><ActionResult>…</ActionResult>
 * <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></ActionResponse>}, and its error document.
 */
public final class QueryXml {
    private final StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();
    private final String action;
    private final String requestId;

    private QueryXml(String action, String namespace, String requestId) {
        this.action = action;
        this.requestId = requestId;
        sb.append('<').append(action).append("Response xmlns=\"").append(namespace).append("\">");
        sb.append('<').append(action).append("Result>");
    }

    public static QueryXml response(String action, String namespace, String requestId) {
        return new QueryXml(action, namespace, requestId);
    }

    public QueryXml open(String name) {
        sb.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    public QueryXml close() {
        sb.append("</").append(open.pop()).append('>');
        return this;
    }

    /** An element with text; nothing when the value is null (absent members are left out, as AWS does). */
    public QueryXml el(String name, Object value) {
        if (value == null) {
            return this;
        }
        String text = value instanceof Instant i ? time(i) : value.toString();
        sb.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
        return this;
    }

    public String finish() {
        while (!open.isEmpty()) {
            close();
        }
        sb.append("</").append(action).append("Result><ResponseMetadata><RequestId>").append(escape(requestId))
                .append("</RequestId></ResponseMetadata></").append(action).append("Response>");
        return sb.toString();
    }

    public static String time(Instant i) {
        return i.truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(\\d\\d:\\d\\d:\\d\\d)Z$", "$1.000Z");
    }

    public static String error(String namespace, QueryError e, String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>"
                + e.type() + "</Type><Code>" + escape(e.code()) + "</Code><Message>" + escape(e.getMessage())
                + "</Message></Error><RequestId>" + escape(requestId) + "</RequestId></ErrorResponse>";
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
