package dev.spotkeeper.sim;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.policy.Policies;
import dev.spotkeeper.core.policy.SchedulingPolicy;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs every policy on every window of a scenario, windows in parallel. */
public final class Replay {
    public static final String OPTIMAL = "optimal";
    /** Every policy name replay knows: the online ones and the offline optimum. */
    public static final List<String> POLICIES;

    static {
        List<String> all = new ArrayList<>(Policies.NAMES);
        all.add(OPTIMAL);
        POLICIES = List.copyOf(all);
    }

    private Replay() {
    }

    /** One window to replay: the scenario it runs on (for a zone sweep, its own zones) and its start tick. */
    public record Case(Scenario scenario, int start) {
    }

    /** Refuses unknown names with a suggestion. */
    public static List<String> checkPolicies(List<String> names) {
        for (String n : names) {
            if (!POLICIES.contains(n)) {
                throw SpotkeeperException.invalidArgument("unknown policy '" + n + "'" + Names.didYouMean(n, POLICIES)
                        + "; known: " + String.join(", ", POLICIES));
            }
        }
        return List.copyOf(names);
    }

    /**
     * @param timelineWindow index of the window whose timelines are recorded (-1: none)
     * @param progress       called with the number of windows finished so far, from worker threads
     */
    public static ReplayResult run(Scenario scenario, List<String> policies, Information information,
                                   int timelineWindow, int threads, IntConsumer progress) {
        List<Case> cases = new ArrayList<>();
        for (int start : scenario.windowStarts()) {
            cases.add(new Case(scenario, start));
        }
        return run(scenario, cases, policies, information, timelineWindow, threads, progress);
    }

    /** Replays {@code cases}, each on its own scenario; {@code scenario} is what the result is reported as. */
    public static ReplayResult run(Scenario scenario, List<Case> cases, List<String> policies, Information information,
                                   int timelineWindow, int threads, IntConsumer progress) {
        checkPolicies(policies);
        JobModel base = scenario.model();
        Map<Scenario, Rig> rigs = new IdentityHashMap<>();
        for (Case c : cases) {
            rigs.computeIfAbsent(c.scenario(), s -> new Rig(s, information));
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<List<RunResult>>> futures = new ArrayList<>();
            for (int w = 0; w < cases.size(); w++) {
                int window = w;
                Case c = cases.get(w);
                Rig rig = rigs.get(c.scenario());
                futures.add(pool.submit(() -> {
                    List<RunResult> row = rig.runWindow(policies, c.start(), window == timelineWindow);
                    progress.accept(done.incrementAndGet());
                    return row;
                }));
            }
            List<List<RunResult>> rows = new ArrayList<>();
            List<Double> references = new ArrayList<>();
            for (int w = 0; w < cases.size(); w++) {
                rows.add(futures.get(w).get());
                references.add(rigs.get(cases.get(w).scenario()).model.onDemandReferenceCost());
            }
            return new ReplayResult(scenario, base, information, policies, rows, references);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "replay interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SpotkeeperException se) {
                throw se;
            }
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "replay failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The simulator and optimum of one scenario, shared by its windows (both are safe to share across threads). */
    private static final class Rig {
        final Scenario scenario;
        final JobModel model;
        final Simulator simulator;
        final OfflineOptimum optimum;

        Rig(Scenario scenario, Information information) {
            this.scenario = scenario;
            this.model = scenario.model();
            this.simulator = new Simulator(model, information, scenario.launchLatencySeconds());
            this.optimum = new OfflineOptimum(model);
        }

        List<RunResult> runWindow(List<String> policies, int start, boolean timeline) {
            List<RunResult> row = new ArrayList<>();
            for (String name : policies) {
                SchedulingPolicy policy = name.equals(OPTIMAL) ? new OptimalPolicy(optimum.solve(start))
                        : Policies.create(name, scenario.homeZone());
                row.add(simulator.run(start, policy, timeline));
            }
            return row;
        }
    }
}
