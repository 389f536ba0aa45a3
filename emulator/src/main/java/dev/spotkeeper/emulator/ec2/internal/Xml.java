package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.emulator.query.XmlDocument;

/** EC2's response documents: one root with the API namespace and the request id first, then the answer's elements. */
public final class Xml extends XmlDocument<Xml> {
    public static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private String root;

    private Xml() {
    }

    /** {@code <ActionResponse xmlns=…><requestId>…</requestId>}. */
    public static Xml response(String action, String requestId) {
        Xml x = new Xml();
        x.sb.append('<').append(action).append("Response xmlns=\"").append(NAMESPACE).append("\">");
        x.root = action + "Response";
        x.el("requestId", requestId);
        return x;
    }

    /** The document, with every open element closed. */
    public String finish() {
        closeAll();
        return sb.append("</").append(root).append('>').toString();
    }

    /** AWS's error document for the EC2 query protocol. */
    public static String error(String code, String message, String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + escape(code)
                + "</Code><Message>" + escape(message) + "</Message></Error></Errors><RequestID>"
                + escape(requestId) + "</RequestID></Response>";
    }
}
