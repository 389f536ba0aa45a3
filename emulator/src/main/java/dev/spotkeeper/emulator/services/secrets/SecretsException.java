package dev.spotkeeper.emulator.services.secrets;

/** A Secrets Manager error in the JSON 1.1 shape: {@code __type}, a message, HTTP 400 (or 500 for the emulator's own). */
final class SecretsException extends RuntimeException {
    private final String type;
    private final int status;

    SecretsException(String type, int status, String message) {
        super(message);
        this.type = type;
        this.status = status;
    }

    static SecretsException invalidParameter(String message) {
        return new SecretsException("InvalidParameterException", 400, message);
    }

    static SecretsException invalidRequest(String message) {
        return new SecretsException("InvalidRequestException", 400, message);
    }

    static SecretsException notFound() {
        return new SecretsException("ResourceNotFoundException", 400, "Secrets Manager can't find the specified secret.");
    }

    static SecretsException exists(String message) {
        return new SecretsException("ResourceExistsException", 400, message);
    }

    String type() {
        return type;
    }

    int status() {
        return status;
    }
}
