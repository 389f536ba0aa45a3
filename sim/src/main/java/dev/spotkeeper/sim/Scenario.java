package dev.spotkeeper.sim;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.sim.trace.Trace;
import java.util.List;

/**
 * A replay experiment: a trace restricted to some zones, a job, the network between regions, the windows
 * (start ticks) to run, and the zone single-zone policies use.
 */
public record Scenario(String name, Trace trace, JobSpec job, Network network, List<Integer> windowStarts,
                       String homeZone) {
    public Scenario {
        requireNonNull(name, "name is null");
        requireNonNull(trace, "trace is null");
        requireNonNull(job, "job is null");
        requireNonNull(network, "network is null");
        requireNonNull(homeZone, "homeZone is null");
        windowStarts = List.copyOf(windowStarts);
        if (windowStarts.isEmpty()) {
            throw SpotkeeperException.invalidArgument("scenario " + name + " has no windows");
        }
        if (!trace.zones().contains(homeZone)) {
            throw SpotkeeperException.invalidArgument("scenario " + name + ": home zone " + homeZone
                    + " is not one of its zones " + trace.zones());
        }
    }

    /** The job on this scenario's trace; checks that every window fits in the trace. */
    public JobModel model() {
        JobModel model = new JobModel(trace, job, network);
        for (int start : windowStarts) {
            if (start < 0 || start + model.deadlineTicks() > trace.ticks()) {
                throw SpotkeeperException.invalidArgument(String.format(java.util.Locale.ROOT,
                        "scenario %s: the window starting %.4f h into the trace needs %.4f h but the trace %s has only %.4f h",
                        name, start * trace.gapHours(), model.deadlineTicks() * trace.gapHours(), trace.source(),
                        trace.ticks() * trace.gapHours()));
            }
        }
        return model;
    }
}
