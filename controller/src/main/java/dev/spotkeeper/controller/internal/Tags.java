package dev.spotkeeper.controller.internal;

import java.util.Map;

/** The tags of the controller–agent protocol (docs/job-runtime.md). */
public final class Tags {
    public static final String MANAGED = "spotkeeper:managed";
    public static final String WORKLOAD = "spotkeeper:workload";
    public static final String GENERATION = "spotkeeper:generation";
    public static final String REPLACES = "spotkeeper:replaces";
    public static final String EVACUATE = "spotkeeper:evacuate";
    /** What the agent starts the job from: {@code newest} or a checkpoint id; until it is set, the agent waits. */
    public static final String START = "spotkeeper:start";

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
