package dev.spotkeeper.core;

/** What kind of failure an {@link ErrorCode} is, which decides how callers react to it. */
public enum ErrorType {
    /** The user's input is wrong; retrying the same thing fails the same way. */
    USER(2),
    /** The cloud has no capacity (or quota) for the request right now; another pool or later may work. */
    CAPACITY(3),
    /** A passing fault (throttling, network); the same call may succeed after a back-off. */
    TRANSIENT(4),
    /** A defect or an unexpected state inside spotkeeper. */
    INTERNAL(1);

    private final int exitCode;

    ErrorType(int exitCode) {
        this.exitCode = exitCode;
    }

    /**
     * The exit code of every spotkeeper command for this type (the CLI and the agent alike): USER 2, CAPACITY 3,
     * TRANSIENT 4, INTERNAL 1, so that scripts can tell "fix your input" from "try later".
     */
    public int exitCode() {
        return exitCode;
    }
}
