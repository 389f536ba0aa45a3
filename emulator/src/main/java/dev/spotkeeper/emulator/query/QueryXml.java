package dev.spotkeeper.emulator.query;

/**
 * A writer for the query protocol's answers: {@code <ActionResponse xmlns=…><ActionResult>…</ActionResult>
 * <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></ActionResponse>}, and its error document.
 */
public final class QueryXml extends XmlDocument<QueryXml> {
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

    public String finish() {
        closeAll();
        sb.append("</").append(action).append("Result><ResponseMetadata><RequestId>").append(escape(requestId))
                .append("</RequestId></ResponseMetadata></").append(action).append("Response>");
        return sb.toString();
    }

    public static String error(String namespace, QueryError e, String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>"
                + e.type() + "</Type><Code>" + escape(e.code()) + "</Code><Message>" + escape(e.getMessage())
                + "</Message></Error><RequestId>" + escape(requestId) + "</RequestId></ErrorResponse>";
    }
}
