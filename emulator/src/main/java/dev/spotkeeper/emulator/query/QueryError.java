package dev.spotkeeper.emulator.query;

/**
 * An error of an AWS query-protocol service (Elastic Load Balancing, Auto Scaling) as the service reports it: a
 * code, a message, the HTTP status and whether the caller ({@code Sender}) or the service ({@code Receiver}) is at
 * fault. Thrown inside a request and written as the service's {@code ErrorResponse} document, never as a trace.
 */
public final class QueryError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final int status;

    public QueryError(String code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    /** A caller's mistake, HTTP 400. */
    public static QueryError sender(String code, String message) {
        return new QueryError(code, 400, message);
    }

    /** A value the API refuses ({@code ValidationError}, as both services name it). */
    public static QueryError validation(String message) {
        return sender("ValidationError", message);
    }

    public static QueryError missing(String parameter) {
        return validation("1 validation error detected: Value null at '" + parameter
                + "' failed to satisfy constraint: Member must not be null");
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String type() {
        return status >= 500 ? "Receiver" : "Sender";
    }
}
