package dev.spotkeeper.core.protocol;

/**
 * The version of the controller–agent protocol (docs/job-runtime.md). An agent writes it in every report's
 * {@code detail.protocol}; a report without it is version 1 (agents that came before the field). A controller
 * refuses a report of a newer version, with the reason, rather than guess what its fields mean.
 */
public final class AgentProtocol {
    /** The version this build speaks. Raise it when a report's meaning changes, not when a field is added. */
    public static final int VERSION = 1;

    private AgentProtocol() {
    }
}
