package dev.spotkeeper.testkit.load;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.testkit.load.SteadyLoad.Outcome;
import dev.spotkeeper.testkit.load.SteadyLoad.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The requests of a load sent in a time window [{@code from}, {@code to}): how many, how many failed (and how:
 * 5xx, connection errors, timeouts), and the nearest-rank median and 99th percentile of their latencies (every
 * ended request counts, failed or not; zero when there is none).
 */
public record LoadSummary(Instant from, Instant to, int count, int failed, int serverErrors, int connectionErrors,
        int timeouts, Duration p50, Duration p99, Duration max) {
    public LoadSummary {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(p50, "p50 is null");
        requireNonNull(p99, "p99 is null");
        requireNonNull(max, "max is null");
    }

    /** The samples of {@code all} that started in [{@code from}, {@code to}). */
    public static LoadSummary of(Collection<Sample> all, Instant from, Instant to) {
        List<Long> nanos = new ArrayList<>();
        int failed = 0;
        int server = 0;
        int connection = 0;
        int timeouts = 0;
        for (Sample s : all) {
            if (s.start().isBefore(from) || !s.start().isBefore(to)) {
                continue;
            }
            nanos.add(s.latency().toNanos());
            failed += s.outcome().failed() ? 1 : 0;
            server += s.outcome() == Outcome.SERVER_ERROR ? 1 : 0;
            connection += s.outcome() == Outcome.CONNECTION_ERROR ? 1 : 0;
            timeouts += s.outcome() == Outcome.TIMEOUT ? 1 : 0;
        }
        nanos.sort(null);
        return new LoadSummary(from, to, nanos.size(), failed, server, connection, timeouts,
                Duration.ofNanos(percentile(nanos, 0.50)), Duration.ofNanos(percentile(nanos, 0.99)),
                Duration.ofNanos(nanos.isEmpty() ? 0 : nanos.get(nanos.size() - 1)));
    }

    /** Nearest rank: the smallest value with at least {@code p} of the values at or below it. */
    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public double p50Millis() {
        return p50.toNanos() / 1e6;
    }

    public double p99Millis() {
        return p99.toNanos() / 1e6;
    }

    /** One line: {@code 1200 requests, 0 failed (0 5xx, 0 connection, 0 timeout), p50 3.1 ms, p99 9.8 ms}. */
    public String line() {
        return String.format(Locale.ROOT, "%d requests, %d failed (%d 5xx, %d connection, %d timeout), p50 %.1f ms,"
                + " p99 %.1f ms", count, failed, serverErrors, connectionErrors, timeouts, p50Millis(), p99Millis());
    }
}
