package dev.spotkeeper.core;

/** What kind of failure an {@link ErrorCode} is, which decides how callers react to it. */
public enum ErrorType {
    /** The user's input is wrong; retrying the same thing fails the same way. */
    USER,
    /** The cloud has no capacity (or quota) for the request right now; another pool or later may work. */
    CAPACITY,
    /** A passing fault (throttling, network); the same call may succeed after a back-off. */
    TRANSIENT,
    /** A defect or an unexpected state inside spotkeeper. */
    INTERNAL
}
