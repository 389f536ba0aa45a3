package dev.spotkeeper.core;

import static java.util.Objects.requireNonNull;

/**
 * The one exception spotkeeper throws for failures a user can act on. The message says what was wrong and
 * what to do; the CLI prints it without a stack trace.
 */
public final class SpotkeeperException extends RuntimeException {
    private final ErrorCode code;

    private SpotkeeperException(ErrorCode code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    public static SpotkeeperException of(ErrorCode code, String message) {
        return new SpotkeeperException(code, message, null);
    }

    public static SpotkeeperException of(ErrorCode code, String message, Throwable cause) {
        return new SpotkeeperException(code, message, cause);
    }

    public static SpotkeeperException invalidArgument(String message) {
        return of(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** A file that could not be read as expected: names the file, the line (1-based, 0 if unknown) and the problem. */
    public static SpotkeeperException malformedFile(String file, int line, String problem) {
        String where = line > 0 ? file + ":" + line : file;
        return of(ErrorCode.MALFORMED_FILE, where + ": " + problem);
    }

    public ErrorCode code() {
        return code;
    }
}
