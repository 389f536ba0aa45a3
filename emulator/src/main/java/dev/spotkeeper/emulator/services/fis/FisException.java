package dev.spotkeeper.emulator.services.fis;

/** An FIS API error in the REST-JSON shape: {@code x-amzn-ErrorType} header, HTTP status and a message. */
final class FisException extends RuntimeException {
    private final String type;
    private final int status;

    FisException(String type, int status, String message) {
        super(message);
        this.type = type;
        this.status = status;
    }

    static FisException validation(String message) {
        return new FisException("ValidationException", 400, message);
    }

    static FisException notFound(String message) {
        return new FisException("ResourceNotFoundException", 404, message);
    }

    String type() {
        return type;
    }

    int status() {
        return status;
    }
}
