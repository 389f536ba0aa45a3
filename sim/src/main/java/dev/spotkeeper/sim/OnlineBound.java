package dev.spotkeeper.sim;

import dev.spotkeeper.core.policy.SpotkeeperPolicy;
import dev.spotkeeper.sim.trace.Trace;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A lower bound on what any online policy pays, on a market built so that the bound can be computed exactly: one
 * zone whose spot comes and goes as a two-state Markov chain (lost with probability {@code loss} per tick while
 * there, back with probability {@code recovery} per tick while gone), at a constant spot price, with on-demand always
 * there. The chain is fitted to a zone of a real trace (its transitions counted), the job is the scenario's.
 *
 * <p>{@link #bestOnline} is the expected cost of the best policy that never misses the deadline and sees whether spot
 * is there <em>now</em> at every tick, for free, knowing the chain: a finite Markov decision process over (tick,
 * progress, what is held and its restart still to pay, spot now), solved exactly by backward induction, in the
 * simulator's own job model with the hand-over from on-demand (a start from a warm on-demand instance keeps it
 * running and making progress until the new one is warm; billed per tick; a start's restart billed without
 * progress). Every online policy of either information mode sees at most this (the honest mode less: only the zone
 * held and the answers to launches, which cost time), so none can expect to pay less; the offline optimum, which
 * knows the future, is sampled on traces drawn from the same chain. Their ratio bounds from below what any online
 * policy can reach against the optimum on that market.
 */
public final class OnlineBound {
    private OnlineBound() {
    }

    /** Spot's two-state chain, per tick. */
    public record Chain(double loss, double recovery) {
        /** The long-run share of ticks with spot. */
        public double availability() {
            return loss + recovery == 0 ? 1 : recovery / (loss + recovery);
        }

        /** Counted on one zone of a trace: the share of its ticks with spot that lose it next, and of those without that regain it. */
        public static Chain fit(Trace trace, int zone) {
            long on = 0;
            long lost = 0;
            long off = 0;
            long back = 0;
            for (int t = 0; t + 1 < trace.ticks(); t++) {
                boolean now = trace.available(zone, t);
                boolean next = trace.available(zone, t + 1);
                if (now) {
                    on++;
                    lost += next ? 0 : 1;
                } else {
                    off++;
                    back += next ? 1 : 0;
                }
            }
            return new Chain(on == 0 ? 1 : (double) lost / on, off == 0 ? 1 : (double) back / off);
        }
    }

    /** One zone's bound: the chain, the best online policy's expected cost, the optimum's sampled mean, spotkeeper's. */
    public record Result(String zone, Chain chain, double spotPrice, double onDemandPrice, double bestOnline,
                         double optimumMean, double optimumStandardError, double spotkeeperMean, int spotkeeperMisses, int samples) {
        /** The best online policy ÷ the optimum's mean plus two standard errors: a conservative ratio. */
        public double ratio() {
            return bestOnline / (optimumMean + 2 * optimumStandardError);
        }
    }

    /**
     * The expected cost of the best online policy that sees spot's presence each tick and never misses: work
     * {@code work} ticks, deadline {@code deadline} ticks, every start {@code restart} ticks, prices per hour.
     * Starts with nothing held, spot present with the chain's long-run probability.
     */
    public static double bestOnline(Chain c, double spotPrice, double onDemandPrice, double tickHours, int work,
                                    int deadline, int restart) {
        int d = restart;
        int kinds = 3 * d + 3;
        double inf = Double.POSITIVE_INFINITY;
        double spot = spotPrice * tickHours;
        double od = onDemandPrice * tickHours;
        // next[(w * kinds + k) * 2 + a]: the value at the next tick; k as in index(); w = progress.
        double[] next = new double[(work + 1) * kinds * 2];
        double[] cur = new double[next.length];
        for (int w = 0; w < work; w++) {
            Arrays.fill(next, (w * kinds) * 2, (w * kinds + kinds) * 2, inf); // at the deadline, unfinished: a miss
        }
        int[] choices = new int[4];
        for (int t = deadline - 1; t >= 0; t--) {
            // Work left can be done by the deadline only from progress ≥ work − (deadline − t): below, a miss.
            int lowest = Math.max(0, work - (deadline - t));
            Arrays.fill(cur, inf);
            for (int w = lowest; w <= work; w++) {
                for (int k = 0; k < kinds; k++) {
                    for (int a = 0; a < 2; a++) {
                        int at = (w * kinds + k) * 2 + a;
                        if (w == work) {
                            cur[at] = 0;
                            continue;
                        }
                        int held = k;
                        if (a == 0 && isSpot(held, d)) {
                            held = 0; // preempted; progress kept
                        } else if (a == 0 && isHandOver(held, d)) {
                            held = onDemand(0); // lost while starting: on-demand runs on, warm
                        }
                        int n = 0;
                        choices[n++] = 0; // hold nothing
                        if (held != 0) {
                            choices[n++] = held; // keep
                        }
                        choices[n++] = isHandOver(held, d) ? onDemand(0) : onDemand(d); // (back to) on-demand
                        if (a == 1) {
                            choices[n++] = held == onDemand(0) ? handOver(d, d) : spot(d, d);
                        }
                        double best = inf;
                        for (int i = 0; i < n; i++) {
                            best = Math.min(best, tick(choices[i], w, a, d, kinds, work, spot, od, c, next));
                        }
                        cur[at] = best;
                    }
                }
            }
            double[] swap = next;
            next = cur;
            cur = swap;
        }
        double p = c.availability();
        int start = 0;
        return p * next[start * 2 + 1] + (1 - p) * next[start * 2];
    }

    /** This tick held as {@code h}: its bill plus what follows, in expectation over spot at the next tick. */
    private static double tick(int h, int w, int a, int d, int kinds, int work, double spot, double od, Chain c,
                               double[] next) {
        double cost;
        int progress;
        int after;
        if (h == 0) {
            cost = 0;
            progress = 0;
            after = 0;
        } else if (h <= d + 1) { // on-demand, restart r = h - 1 left
            int r = h - 1;
            cost = od;
            progress = r == 0 ? 1 : 0;
            after = onDemand(Math.max(0, r - 1));
        } else if (h <= 2 * d + 2) { // spot, restart r left
            int r = h - (d + 2);
            cost = spot;
            progress = r == 0 ? 1 : 0;
            after = spot(Math.max(0, r - 1), d);
        } else { // warm on-demand working while spot starts, r ≥ 1 left
            int r = h - (2 * d + 3) + 1;
            cost = od + spot;
            progress = 1;
            after = r - 1 == 0 ? spot(0, d) : handOver(r - 1, d);
        }
        if (w + progress >= work) {
            return cost;
        }
        double up = a == 1 ? 1 - c.loss() : c.recovery();
        int base = ((w + progress) * kinds + after) * 2;
        double v = 0;
        if (up > 0) {
            v += up * next[base + 1];
        }
        if (up < 1) {
            v += (1 - up) * next[base];
        }
        return cost + v;
    }

    private static int onDemand(int r) {
        return 1 + r;
    }

    private static int spot(int r, int d) {
        return d + 2 + r;
    }

    private static int handOver(int r, int d) {
        return 2 * d + 3 + (r - 1);
    }

    private static boolean isSpot(int k, int d) {
        return k >= d + 2 && k <= 2 * d + 2;
    }

    private static boolean isHandOver(int k, int d) {
        return k >= 2 * d + 3;
    }

    /** A trace of {@code ticks} drawn from the chain (spot at the start with its long-run probability). */
    public static Trace sample(Chain c, int ticks, String zone, String region, double gapSeconds, double spotPrice,
                               double onDemandPrice, Random random) {
        boolean[][] available = new boolean[1][ticks];
        double[][] prices = new double[1][ticks];
        boolean now = random.nextDouble() < c.availability();
        for (int t = 0; t < ticks; t++) {
            available[0][t] = now;
            prices[0][t] = spotPrice;
            now = now ? random.nextDouble() >= c.loss() : random.nextDouble() < c.recovery();
        }
        return new Trace("markov-" + zone, List.of(zone), List.of(region), gapSeconds, available, prices, onDemandPrice);
    }

    /**
     * The bound for zone {@code zone} of the scenario's trace: its chain and mean spot price, the scenario's job with
     * the deadline {@code deadlineFactor} × the work, {@code samples} traces for the optimum and spotkeeper's policy
     * (honest mode, the scenario's launch latency).
     */
    public static Result of(Scenario s, int zone, double deadlineFactor, int samples, long seed) {
        Trace real = s.trace();
        Chain chain = Chain.fit(real, zone);
        double price = 0;
        for (int t = 0; t < real.ticks(); t++) {
            price += real.price(zone, t);
        }
        price /= real.ticks();
        double onDemand = real.onDemandPrice(zone);
        String name = real.zones().get(zone);
        String region = real.regions().get(zone);
        JobSpec job = new JobSpec(s.job().workHours(), deadlineFactor * s.job().workHours(),
                s.job().restartOverheadHours(), s.job().checkpointGb());
        Random random = new Random(seed);
        JobModel shape = new JobModel(sample(chain, 2, name, region, real.gapSeconds(), price, onDemand, random), job,
                s.network(), true);
        int ticks = shape.deadlineTicks() + 1;
        int restart = shape.startTicks(shape.regionCount(), 0);
        double online = bestOnline(chain, price, onDemand, shape.tickHours(), shape.workTicks(), shape.deadlineTicks(),
                restart);
        double sum = 0;
        double squares = 0;
        double policy = 0;
        int misses = 0;
        for (int i = 0; i < samples; i++) {
            Trace trace = sample(chain, ticks, name, region, real.gapSeconds(), price, onDemand, random);
            JobModel model = new JobModel(trace, job, s.network(), true);
            double opt = new OfflineOptimum(model).solve(0).cost();
            sum += opt;
            squares += opt * opt;
            RunResult run = new Simulator(model, Information.HONEST, 0, s.launchLatencySeconds())
                    .run(0, new SpotkeeperPolicy(), false);
            policy += run.cost();
            misses += run.missed() ? 1 : 0;
        }
        double mean = sum / samples;
        double se = samples < 2 ? 0 : Math.sqrt(Math.max(0, squares / samples - mean * mean) / (samples - 1));
        return new Result(name, chain, price, onDemand, online, mean, se, policy / samples, misses, samples);
    }
}
