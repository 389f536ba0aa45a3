package dev.spotkeeper.testkit.ec2;

import java.util.List;
import java.util.Map;

/** EC2 query-protocol XML bodies in the shape AWS sends (EC2 API reference, the actions' sample responses). */
final class Ec2Xml {
    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private Ec2Xml() {
    }

    /** {@code <ActionResponse>} with a request id, an item set and an optional next token. */
    static String response(String action, String requestId, String setName, List<Map<String, String>> items,
            String nextToken) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append('<').append(action).append("Response xmlns=\"").append(NAMESPACE).append("\">\n");
        sb.append("    <requestId>").append(requestId).append("</requestId>\n");
        sb.append("    <").append(setName).append(">\n");
        for (Map<String, String> item : items) {
            sb.append("        <item>\n");
            for (Map.Entry<String, String> e : item.entrySet()) {
                sb.append("            <").append(e.getKey()).append('>').append(escape(e.getValue()))
                        .append("</").append(e.getKey()).append(">\n");
            }
            sb.append("        </item>\n");
        }
        sb.append("    </").append(setName).append(">\n");
        if (nextToken != null) {
            sb.append("    <nextToken>").append(escape(nextToken)).append("</nextToken>\n");
        }
        sb.append("</").append(action).append("Response>\n");
        return sb.toString();
    }

    /** EC2's error document (note: {@code Response/Errors/Error} and {@code RequestID}, unlike other services). */
    static String error(String code, String message, String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + escape(code)
                + "</Code><Message>" + escape(message) + "</Message></Error></Errors><RequestID>" + requestId
                + "</RequestID></Response>\n";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
