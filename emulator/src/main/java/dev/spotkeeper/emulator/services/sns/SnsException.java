package dev.spotkeeper.emulator.services.sns;

/** An SNS error as the query protocol answers it: a code, the HTTP status and a message. */
final class SnsException extends RuntimeException {
    private final String code;
    private final int status;

    SnsException(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    static SnsException invalid(String message) {
        return new SnsException("InvalidParameter", 400, message);
    }

    static SnsException notFound(String message) {
        return new SnsException("NotFound", 404, message);
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }
}
