package dev.spotkeeper.controller.internal;

import java.util.Map;

/**
 * The tag sets the controller puts on its launches and searches by. The names are the protocol's, defined once in
 * {@link dev.spotkeeper.core.protocol.Tags} (docs/job-runtime.md); the short names here keep the controller's code
 * readable.
 */
public final class Tags {
    public static final String MANAGED = dev.spotkeeper.core.protocol.Tags.MANAGED;
    public static final String WORKLOAD = dev.spotkeeper.core.protocol.Tags.WORKLOAD;
    public static final String GENERATION = dev.spotkeeper.core.protocol.Tags.GENERATION;
    public static final String REPLACES = dev.spotkeeper.core.protocol.Tags.REPLACES;
    public static final String EVACUATE = dev.spotkeeper.core.protocol.Tags.EVACUATE;
    /** What the agent starts the job from: {@code newest} or a checkpoint id; until it is set, the agent waits. */
    public static final String START = dev.spotkeeper.core.protocol.Tags.START;

    private Tags() {
    }

    public static Map<String, String> managed() {
        return Map.of(MANAGED, "true");
    }

    public static Map<String, String> of(String workload) {
        return Map.of(MANAGED, "true", WORKLOAD, workload);
    }

    public static Map<String, String> launch(String workload, int generation, String replaces) {
        return Map.of(MANAGED, "true", WORKLOAD, workload, GENERATION, Integer.toString(generation),
                REPLACES, replaces);
    }

    /** The launch tags, with {@link #START} when the instance may start the job at once. */
    public static Map<String, String> launch(String workload, int generation, String replaces,
                                             java.util.Optional<String> start) {
        Map<String, String> tags = new java.util.HashMap<>(launch(workload, generation, replaces));
        start.ifPresent(from -> tags.put(START, from));
        return Map.copyOf(tags);
    }
}
