package dev.spotkeeper.emulator.ec2.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/** A small writer for EC2's response documents: one root with the API namespace, nested elements, escaped text. */
public final class Xml {
    public static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private final StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    private Xml() {
    }

    /** {@code <ActionResponse xmlns=…><requestId>…</requestId>}. */
    public static Xml response(String action, String requestId) {
        Xml x = new Xml();
        x.sb.append('<').append(action).append("Response xmlns=\"").append(NAMESPACE).append("\">");
        x.open.push(action + "Response");
        x.el("requestId", requestId);
        return x;
    }

    public Xml open(String name) {
        sb.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    public Xml close() {
        sb.append("</").append(open.pop()).append('>');
        return this;
    }

    public Xml el(String name, Object value) {
        if (value == null) {
            return this;
        }
        String text = value instanceof Instant i ? time(i) : value.toString();
        sb.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
        return this;
    }

    public Xml empty(String name) {
        sb.append('<').append(name).append("/>");
        return this;
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

    /** The document, with every open element closed. */
    public String finish() {
        while (!open.isEmpty()) {
            close();
        }
        return sb.toString();
    }

    /** AWS's error document for the EC2 query protocol. */
    public static String error(String code, String message, String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + escape(code)
                + "</Code><Message>" + escape(message) + "</Message></Error></Errors><RequestID>"
                + escape(requestId) + "</RequestID></Response>";
    }
}
