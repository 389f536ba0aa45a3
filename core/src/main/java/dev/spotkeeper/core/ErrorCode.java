package dev.spotkeeper.core;

import static java.util.Objects.requireNonNull;

/** Every failure spotkeeper reports carries one of these codes; the CLI maps the type to an exit code. */
public enum ErrorCode {
    INVALID_ARGUMENT(ErrorType.USER),
    UNKNOWN_REGION(ErrorType.USER),
    UNKNOWN_INSTANCE_TYPE(ErrorType.USER),
    MALFORMED_FILE(ErrorType.USER),
    NO_MATCHING_POOL(ErrorType.USER),
    CREDENTIALS_MISSING(ErrorType.USER),
    /** The credentials are valid but IAM does not allow the call. */
    ACCESS_DENIED(ErrorType.USER),
    INSUFFICIENT_CAPACITY(ErrorType.CAPACITY),
    SPOT_PRICE_TOO_LOW(ErrorType.CAPACITY),
    QUOTA_EXCEEDED(ErrorType.CAPACITY),
    THROTTLED(ErrorType.TRANSIENT),
    UNAVAILABLE(ErrorType.TRANSIENT),
    CLOUD_ERROR(ErrorType.INTERNAL),
    INTERNAL_ERROR(ErrorType.INTERNAL);

    private final ErrorType type;

    ErrorCode(ErrorType type) {
        this.type = requireNonNull(type, "type is null");
    }

    public ErrorType type() {
        return type;
    }
}
