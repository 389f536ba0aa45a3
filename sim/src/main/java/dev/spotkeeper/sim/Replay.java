package dev.spotkeeper.sim;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.Names;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.policy.Policies;
import dev.spotkeeper.core.policy.SchedulingPolicy;
import java.util.ArrayList;
import java.util.List;
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
    public static ReplayResult run(Scenario scenario, List<String> policies, int timelineWindow, int threads,
                                   IntConsumer progress) {
        checkPolicies(policies);
        JobModel model = scenario.model();
        Simulator simulator = new Simulator(model);
        OfflineOptimum optimum = new OfflineOptimum(model);
        List<Integer> starts = scenario.windowStarts();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<List<RunResult>>> futures = new ArrayList<>();
            for (int w = 0; w < starts.size(); w++) {
                int window = w;
                futures.add(pool.submit(() -> {
                    List<RunResult> row = runWindow(scenario, simulator, optimum, policies, starts.get(window),
                            window == timelineWindow);
                    progress.accept(done.incrementAndGet());
                    return row;
                }));
            }
            List<List<RunResult>> rows = new ArrayList<>();
            for (Future<List<RunResult>> f : futures) {
                rows.add(f.get());
            }
            return new ReplayResult(scenario, model, policies, rows);
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

    static List<RunResult> runWindow(Scenario scenario, Simulator simulator, OfflineOptimum optimum,
                                     List<String> policies, int start, boolean timeline) {
        List<RunResult> row = new ArrayList<>();
        for (String name : policies) {
            SchedulingPolicy policy = name.equals(OPTIMAL) ? new OptimalPolicy(optimum.solve(start))
                    : Policies.create(name, scenario.homeZone());
            row.add(simulator.run(start, policy, timeline));
        }
        return row;
    }
}
