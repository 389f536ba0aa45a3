package dev.spotkeeper.bench;

import dev.spotkeeper.bench.FleetRig.Sample;
import dev.spotkeeper.bench.FleetRig.Warning;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.cloud.FleetPort.Member;
import dev.spotkeeper.testkit.load.LoadSummary;
import dev.spotkeeper.testkit.load.SteadyLoad;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * B7: a web fleet on the emulator (Auto Scaling group behind a load balancer that is a real HAProxy) under a
 * steady load, interrupted through FIS: {@code --interruptions} one after another, then two in one pool at once.
 * The fleet is a {@code kind: fleet} workload run by spotkeeper's controller on the emulator's event queue: with the
 * drain (default), each warning detaches its instance at once keeping the capacity, and the target group drains it
 * for the deregistration delay; {@code --no-drain} is the same with a delay of 0 (the baseline: what the drain buys);
 * {@code --no-detach} has nothing act on the warnings (a plain group). Prints the requests, failures and latency in
 * steady state and during the interruptions, per warning the controller's receipt and detach (from its journal) and
 * the time to the replacement's launch and to capacity restored; writes a CSV and an SVG timeline.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = "B7: a fleet on the emulator under a steady load, interrupted through FIS (N in a row, then two"
                + " in one pool at once): failed requests (goal 0), p99 during interruptions (goal <= 2 x steady),"
                + " capacity restored (goal <= 30 s after each warning).")
final class FleetBench implements Callable<Integer> {
    static final double GOAL_RESTORE_S = 30;
    static final double GOAL_REPLACEMENT_S = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--replicas", defaultValue = "6", description = "Desired capacity (default 6, over 4 pools).")
    int replicas;

    @Option(names = "--interruptions", defaultValue = "5", description = "Interruptions in a row before the pair (default 5).")
    int interruptions;

    @Option(names = "--rps", defaultValue = "200", description = "Requests per second through the load balancer (default 200).")
    double rps;

    @Option(names = "--drain", defaultValue = "120s", description = "The target group's deregistration delay (default 120s).")
    Duration drain;

    @Option(names = "--no-drain", description = "Detach on the warning with a deregistration delay of 0 (the baseline).")
    boolean noDrain;

    @Option(names = "--no-detach", description = "Nothing acts on the warning: the instance serves until it ends (a plain group).")
    boolean noDetach;

    @Option(names = "--steady", defaultValue = "20s", description = "Steady state measured before the first interruption (default 20s).")
    Duration steady;

    @Option(names = "--spacing", defaultValue = "10s", description = "Pause after capacity is back before the next interruption (default 10s).")
    Duration spacing;

    @Option(names = "--out", defaultValue = "target/bench", description = "Where to write b7-fleet[-no-drain].csv and .svg.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter pw = spec.commandLine().getOut();
        if (replicas < 3 || interruptions < 0 || rps <= 0) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT,
                    "--replicas must be at least 3 (two leave at once), --interruptions at least 0, --rps above 0");
        }
        Duration delay = noDrain ? Duration.ZERO : drain;
        String mode = noDetach ? "nothing acts on the warnings" : noDrain ? "no drain (detach, deregistration delay 0)"
                : "drain (detach, deregistration delay " + drain.toSeconds() + " s)";
        pw.printf(Locale.ROOT, "B7 fleet: %d replicas over %s × %s, %.0f requests/s, %s%n", replicas, FleetRig.TYPES,
                FleetRig.ZONES, rps, mode);
        pw.flush();
        Path work = Files.createTempDirectory("spotkeeper-b7-");
        try (FleetRig rig = new FleetRig(work, !noDetach, line -> pw.println("warning: " + line))) {
            pw.println("responder: " + rig.responder());
            pw.flush();
            URI endpoint = rig.start(replicas, delay);
            until(() -> rig.healthyNow() >= replicas, Duration.ofSeconds(120), "the fleet's first capacity");
            try (SteadyLoad load = SteadyLoad.start(endpoint, rps, Duration.ofHours(1), Duration.ofSeconds(10))) {
                Instant loadStart = Instant.now();
                pause(steady);
                List<Instant> experiments = new ArrayList<>();
                for (int i = 0; i < interruptions; i++) {
                    experiments.add(rig.interrupt(rig.healthyMembers(), 1, Optional.empty()));
                    awaitWarnings(rig, experiments.size());
                    until(() -> rig.healthyNow() >= replicas, Duration.ofSeconds(180), "capacity after warning " + (i + 1));
                    pause(spacing);
                }
                Member inPair = pairPool(rig);
                List<Member> pool = rig.healthyMembers().stream().filter(m -> m.instanceType().equals(inPair.instanceType())
                        && m.zone().equals(inPair.zone())).toList();
                experiments.add(rig.interrupt(pool, 2, Optional.of(inPair)));
                awaitWarnings(rig, interruptions + 2);
                until(() -> rig.healthyNow() >= replicas, Duration.ofSeconds(180), "capacity after the pair");
                // The warned instances end two minutes after their warning: the load runs until the last has.
                Instant lastEnd = rig.warnings().stream().map(Warning::time).max(Instant::compareTo).orElseThrow()
                        .plusSeconds(130);
                pause(Duration.between(Instant.now(), lastEnd));
                load.stop();
                load.awaitEnd(Duration.ofSeconds(30));
                return report(pw, load, rig, loadStart, experiments.get(0), Instant.now());
            }
        }
    }

    private int report(PrintWriter pw, SteadyLoad load, FleetRig rig, Instant loadStart, Instant firstExperiment,
                       Instant end) throws java.io.IOException {
        LoadSummary steadyState = load.summary(loadStart.plusSeconds(5), firstExperiment);
        List<Warning> warnings = rig.warnings();
        LoadSummary during = LoadSummary.of(load.samples().stream().filter(s -> disturbed(s.start(), warnings)).toList(),
                Instant.MIN, Instant.MAX);
        LoadSummary all = load.summary();
        List<Sample> samples = rig.samples();
        List<String> csv = new ArrayList<>(List.of("warning,instance,pool,received_ms,detached_ms,"
                + "replacement_launched_ms,capacity_restored_ms"));
        List<Double> restored = new ArrayList<>();
        List<Double> launched = new ArrayList<>();
        int n = 0;
        for (Warning w : warnings) {
            n++;
            double launch = firstNewMember(samples, w.time()).map(t -> ms(w.time(), t)).orElse(Double.NaN);
            double back = firstAtCapacity(samples, warnings, w.time()).map(t -> ms(w.time(), t)).orElse(Double.NaN);
            double received = ms(w.time(), w.received());
            double detachedMs = w.detached().map(t -> ms(w.time(), t)).orElse(Double.NaN);
            pw.printf(Locale.ROOT, "warning %d on %s (%s): received +%.0f ms, detached +%.0f ms, replacement launched"
                            + " +%.0f ms, capacity %d back +%.1f s (times from the warning's event time)%n",
                    n, w.instanceId(), w.pool(), received, detachedMs, launch, replicas, back / 1000);
            csv.add(String.format(Locale.ROOT, "%d,%s,%s,%.0f,%.0f,%.0f,%.0f", n, w.instanceId(), w.pool(), received,
                    detachedMs, launch, back));
            restored.add(back);
            launched.add(launch);
        }
        pw.println("steady state:         " + steadyState.line());
        pw.println("during interruptions: " + during.line());
        pw.println("whole run:            " + all.line());
        load.failures().stream().limit(3).forEach(f -> pw.println("  failed at " + f.start() + ": " + f.detail()));
        boolean noFailures = all.failed() == 0;
        boolean latency = during.p99Millis() <= 2 * steadyState.p99Millis();
        boolean capacity = restored.stream().allMatch(r -> r <= GOAL_RESTORE_S * 1000);
        boolean replacement = launched.stream().allMatch(r -> r <= GOAL_REPLACEMENT_S * 1000);
        pw.println("during interruptions = requests sent within 30 s after a warning or within 5 s of a warned"
                + " instance's end (120 s after its warning)");
        pw.printf(Locale.ROOT, "goals: 0 failed requests %s (%d); p99 during ≤ 2 × steady %s (%.1f vs %.1f ms);"
                        + " capacity ≤ 30 s after each warning %s (max %.1f s); replacement ≤ 1 s %s (max %.0f ms)%n",
                mark(noFailures), all.failed(), mark(latency), during.p99Millis(), steadyState.p99Millis(),
                mark(capacity), restored.stream().mapToDouble(d -> d).max().orElse(0) / 1000, mark(replacement),
                launched.stream().mapToDouble(d -> d).max().orElse(0));
        String base = noDetach ? "b7-fleet-no-detach" : noDrain ? "b7-fleet-no-drain" : "b7-fleet";
        Files.createDirectories(out);
        csv.add("");
        csv.add("phase,requests,failed,5xx,connection_errors,timeouts,p50_ms,p99_ms");
        csv.add(phase("steady", steadyState));
        csv.add(phase("interruptions", during));
        csv.add(phase("all", all));
        csv.add("");
        csv.addAll(timeline(samples, warnings, load, loadStart));
        Files.write(out.resolve(base + ".csv"), csv);
        Files.writeString(out.resolve(base + ".svg"), FleetTimeline.svg("B7 fleet, " + (noDetach ? "no detach" : noDrain ? "no drain" : "drain")
                + ": capacity per pool and failed requests", samples, load.failures(), warnings, loadStart, replicas));
        pw.println("wrote " + out.resolve(base + ".csv") + " and " + out.resolve(base + ".svg"));
        return noFailures && latency && capacity && replacement ? 0 : 1;
    }

    private static String mark(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static String phase(String name, LoadSummary s) {
        return String.format(Locale.ROOT, "%s,%d,%d,%d,%d,%d,%.1f,%.1f", name, s.count(), s.failed(), s.serverErrors(),
                s.connectionErrors(), s.timeouts(), s.p50Millis(), s.p99Millis());
    }

    /** Per second since the load began: healthy capacity per pool (the last sample of the second) and failures. */
    private static List<String> timeline(List<Sample> samples, List<Warning> warnings, SteadyLoad load, Instant start) {
        List<String> rows = new ArrayList<>();
        if (samples.isEmpty()) {
            return rows;
        }
        List<String> pools = List.copyOf(samples.get(0).perPool(Set.of()).keySet());
        rows.add("second," + pools.stream().map(p -> "healthy " + p).collect(Collectors.joining(","))
                + ",healthy,draining,requests,failed");
        Instant last = samples.get(samples.size() - 1).at();
        for (int s = 0; !start.plusSeconds(s).isAfter(last); s++) {
            Instant to = start.plusSeconds(s + 1);
            Sample at = samples.stream().filter(x -> x.at().isBefore(to)).reduce((a, b) -> b).orElse(samples.get(0));
            LoadSummary sec = load.summary(start.plusSeconds(s), to);
            Set<String> warned = warnedBy(warnings, at.at());
            Map<String, Integer> per = at.perPool(warned);
            rows.add(s + "," + pools.stream().map(p -> String.valueOf(per.getOrDefault(p, 0))).collect(Collectors.joining(","))
                    + "," + at.capacity(warned) + "," + at.draining() + "," + sec.count() + "," + sec.failed());
        }
        return rows;
    }

    private static Optional<Instant> firstNewMember(List<Sample> samples, Instant warning) {
        Sample before = samples.stream().filter(s -> !s.at().isAfter(warning)).reduce((a, b) -> b).orElse(null);
        if (before == null) {
            return Optional.empty();
        }
        return samples.stream().filter(s -> s.at().isAfter(warning)
                && !before.members().containsAll(s.members())).map(Sample::at).findFirst();
    }

    /** The first look after the warning with {@code replicas} healthy instances that no warning had reached by then. */
    private Optional<Instant> firstAtCapacity(List<Sample> samples, List<Warning> warnings, Instant warning) {
        return samples.stream().filter(s -> s.at().isAfter(warning) && s.capacity(warnedBy(warnings, s.at())) >= replicas)
                .map(Sample::at).findFirst();
    }

    static Set<String> warnedBy(List<Warning> warnings, Instant at) {
        return warnings.stream().filter(w -> !w.time().isAfter(at)).map(Warning::instanceId).collect(Collectors.toSet());
    }

    /** Within 30 s after a warning, or within 5 s of the warned instance's end (two minutes after its warning). */
    private static boolean disturbed(Instant t, List<Warning> warnings) {
        for (Warning w : warnings) {
            Instant end = w.time().plusSeconds(120);
            if (!t.isBefore(w.time()) && t.isBefore(w.time().plusSeconds(30))
                    || !t.isBefore(end.minusSeconds(5)) && t.isBefore(end.plusSeconds(5))) {
                return true;
            }
        }
        return false;
    }

    /** A pool with at least two healthy members no warning has reached (waiting for the group to refill one). */
    private static Member pairPool(FleetRig rig) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Map<String, List<Member>> byPool = rig.healthyMembers().stream()
                    .collect(Collectors.groupingBy(m -> m.instanceType() + " " + m.zone()));
            Optional<Member> two = byPool.values().stream().filter(l -> l.size() >= 2).map(l -> l.get(0)).findFirst();
            if (two.isPresent()) {
                return two.get();
            }
            Thread.sleep(200);
        }
        throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "no pool held two healthy instances within 120 s");
    }

    private static void awaitWarnings(FleetRig rig, int count) throws InterruptedException {
        until(() -> rig.warnings().size() >= count, Duration.ofSeconds(30), count + " interruption warnings");
    }

    private static void until(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "waited " + within.toSeconds() + " s for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** A stretch of the benchmark's own schedule (steady state, spacing), not a wait for a condition. */
    private static void pause(Duration d) throws InterruptedException {
        if (!d.isNegative()) {
            Thread.sleep(d.toMillis());
        }
    }

    private static double ms(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }
}
