package dev.spotkeeper.sim;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.sim.trace.Trace;
import java.util.List;
import java.util.Locale;

/**
 * A replay experiment: a trace restricted to some zones, a job, the network between regions, the windows to run,
 * the zone single-zone policies use, and how long a refused spot launch takes.
 *
 * @param launchLatencySeconds time a refused spot launch costs before anything else can start (honest mode)
 * @param handOver             true when leaving a warm on-demand instance keeps it running until the new instance
 *                             has started ({@link JobModel#handOver()})
 */
public record Scenario(String name, Trace trace, JobSpec job, Network network, Windows windows, String homeZone,
                       double launchLatencySeconds, boolean handOver) {
    /** What a refused spot launch costs by default: an API round trip, a retry and a controller pass. */
    public static final double DEFAULT_LAUNCH_LATENCY_SECONDS = 60;
    /** Leaving on-demand hands over by default, as the controller's moves do (the replacement boots first). */
    public static final boolean DEFAULT_HAND_OVER = true;

    public Scenario {
        requireNonNull(name, "name is null");
        requireNonNull(trace, "trace is null");
        requireNonNull(job, "job is null");
        requireNonNull(network, "network is null");
        requireNonNull(windows, "windows is null");
        requireNonNull(homeZone, "homeZone is null");
        if (!trace.zones().contains(homeZone)) {
            throw SpotkeeperException.invalidArgument("scenario " + name + ": home zone " + homeZone
                    + " is not one of its zones " + trace.zones());
        }
        if (!(launchLatencySeconds >= 0) || Double.isInfinite(launchLatencySeconds)) {
            throw SpotkeeperException.invalidArgument("scenario " + name + ": the launch latency must be a number of "
                    + "seconds >= 0, got " + launchLatencySeconds);
        }
    }

    public Scenario(String name, Trace trace, JobSpec job, Network network, Windows windows, String homeZone,
                    double launchLatencySeconds) {
        this(name, trace, job, network, windows, homeZone, launchLatencySeconds, DEFAULT_HAND_OVER);
    }

    public Scenario(String name, Trace trace, JobSpec job, Network network, Windows windows, String homeZone) {
        this(name, trace, job, network, windows, homeZone, DEFAULT_LAUNCH_LATENCY_SECONDS);
    }

    /** Window start ticks of this scenario's job. */
    public List<Integer> windowStarts() {
        return windows.starts(trace, deadlineTicks());
    }

    private int deadlineTicks() {
        return (int) Math.floor(job.deadlineHours() * 3600 / trace.gapSeconds() + 1e-9);
    }

    /** The job on this scenario's trace; checks that every window fits in the trace. */
    public JobModel model() {
        JobModel model = new JobModel(trace, job, network, handOver);
        for (int start : windowStarts()) {
            if (start < 0 || start + model.deadlineTicks() > trace.ticks()) {
                throw SpotkeeperException.invalidArgument(String.format(Locale.ROOT,
                        "scenario %s: the window starting %.4f h into the trace needs %.4f h but the trace %s has only %.4f h",
                        name, start * trace.gapHours(), model.deadlineTicks() * trace.gapHours(), trace.source(),
                        trace.ticks() * trace.gapHours()));
            }
        }
        return model;
    }

    public Scenario withName(String other) {
        return new Scenario(other, trace, job, network, windows, homeZone, launchLatencySeconds, handOver);
    }

    public Scenario withJob(JobSpec other) {
        return new Scenario(name, trace, other, network, windows, homeZone, launchLatencySeconds, handOver);
    }

    public Scenario withHandOver(boolean other) {
        return new Scenario(name, trace, job, network, windows, homeZone, launchLatencySeconds, other);
    }

    public Scenario withWindows(Windows other) {
        return new Scenario(name, trace, job, network, other, homeZone, launchLatencySeconds, handOver);
    }

    /** The same experiment on {@code zones} of the trace; the home zone stays if it is among them, else the first. */
    public Scenario withZones(List<String> zones) {
        Trace t = trace.select(zones);
        String home = zones.contains(homeZone) ? homeZone : zones.get(0);
        return new Scenario(name, t, job, network, windows, home, launchLatencySeconds, handOver);
    }
}
