package dev.spotkeeper.sim;

import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.sim.trace.Trace;
import java.util.Arrays;

/**
 * The cheapest schedule for one window with the whole trace known: dynamic programming over (tick, progress in
 * ticks, state), where a state is a warm instance (a spot zone or an on-demand region, each region at its own
 * on-demand price), or no instance with the
 * checkpoint in a region, or no instance and no checkpoint yet. From a state the job may idle, keep a warm
 * instance for a tick (spot only while available), or start an instance anywhere: egress plus the start's
 * overhead ticks, billed, with spot available throughout. This is the simulator's model exactly, so its cost is
 * a lower bound for every policy that meets the deadline. With a hand-over ({@link JobModel#handOver()}) a start
 * from a warm on-demand instance keeps it running and making progress until the new one is warm, both billed.
 * Only this class sees the future.
 */
public final class OfflineOptimum {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final byte IDLE = 0;
    private static final byte KEEP = 1;
    private static final byte START = 2;
    // START + x: a start in place x; START + places + x: a start in x handed over from a warm on-demand instance.

    private final JobModel model;
    private final int zones;
    private final int regions;
    private final int places;
    private final int states;
    private final int[] placeRegion;
    /** {@code startTicks[checkpoint class][region]}; class {@code regions} means "no checkpoint yet". */
    private final int[][] startTicks;
    private final double[][] egress;
    private final int maxStart;

    public OfflineOptimum(JobModel model) {
        this.model = model;
        this.zones = model.trace().zoneCount();
        this.regions = model.regionCount();
        this.places = zones + regions;
        this.states = places + regions + 1;
        if (START + 2 * places > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("the optimum handles up to " + (Byte.MAX_VALUE - START) / 2
                    + " zones and regions together, got " + places);
        }
        placeRegion = new int[places];
        for (int x = 0; x < places; x++) {
            placeRegion[x] = x < zones ? model.regionOfZone(x) : x - zones;
        }
        startTicks = new int[regions + 1][regions];
        egress = new double[regions + 1][regions];
        int longest = 0;
        for (int c = 0; c <= regions; c++) {
            for (int r = 0; r < regions; r++) {
                startTicks[c][r] = model.startTicks(c == regions ? -1 : c, r);
                egress[c][r] = model.egress(c == regions ? -1 : c, r);
                longest = Math.max(longest, startTicks[c][r]);
            }
        }
        maxStart = longest;
    }

    /** The optimal cost and the decision for every tick of the window starting at trace tick {@code start}. */
    public record Plan(double cost, Decision[] decisions) {
    }

    public Plan solve(int start) {
        Window w = new Window(start);
        w.solve();
        return new Plan(w.value[0][states - 1], extract(w.action));
    }

    /** The tables of one window: cumulative spot cost and availability runs, values in a ring, decisions. */
    private final class Window {
        final int deadline = model.deadlineTicks();
        final int work = model.workTicks();
        final double[] onDemandTick = new double[regions];
        final double[][] cum = new double[zones][deadline + 1];
        final int[][] run = new int[zones][deadline + 1];
        final int ring = maxStart + 2;
        final double[][] value = new double[ring][(work + 1) * states];
        final byte[][] action = new byte[deadline][(work + 1) * states];
        final double[] bestStart = new double[regions + 1];
        final int[] bestPlace = new int[regions + 1];
        /** The cheapest hand-over from the warm on-demand instance of each region, and to where. */
        final double[] bestHandOver = new double[regions];
        final int[] handOverPlace = new int[regions];
        double[] next;

        Window(int start) {
            Trace trace = model.trace();
            double g = model.tickHours();
            for (int r = 0; r < regions; r++) {
                onDemandTick[r] = model.onDemandTickCost(r);
            }
            for (int z = 0; z < zones; z++) {
                for (int t = 0; t < deadline; t++) {
                    cum[z][t + 1] = cum[z][t] + trace.price(z, start + t) * g;
                }
                for (int t = deadline - 1; t >= 0; t--) {
                    run[z][t] = trace.available(z, start + t) ? run[z][t + 1] + 1 : 0;
                }
            }
        }

        /** Backwards over ticks; only progress a deadline-meeting schedule can have at tick t is computed. */
        void solve() {
            for (int t = deadline; t >= 0; t--) {
                double[] v = value[t % ring];
                Arrays.fill(v, INF);
                Arrays.fill(v, work * states, v.length, 0);
                if (t == deadline) {
                    continue;
                }
                next = value[(t + 1) % ring];
                int lo = Math.max(0, work - (deadline - t));
                int hi = Math.min(work - 1, t);
                for (int p = lo; p <= hi; p++) {
                    priceStarts(t, p);
                    if (model.handOver()) {
                        priceHandOvers(t, p);
                    }
                    chooseActions(t, p, v);
                }
            }
        }

        /** The cheapest start from each checkpoint class, at tick t with progress p. */
        private void priceStarts(int t, int p) {
            Arrays.fill(bestStart, INF);
            Arrays.fill(bestPlace, -1);
            for (int x = 0; x < places; x++) {
                int r = placeRegion[x];
                // Most checkpoint classes share one start length; price that start once per place.
                int sameD = startTicks[r][r];
                double sameBase = startBase(x, t, p, sameD);
                for (int c = 0; c <= regions; c++) {
                    int d = startTicks[c][r];
                    double total = egress[c][r] + (d == sameD ? sameBase : startBase(x, t, p, d));
                    if (total < bestStart[c]) {
                        bestStart[c] = total;
                        bestPlace[c] = x;
                    }
                }
            }
        }

        /**
         * The cheapest hand-over from the warm on-demand instance in each region at tick t with progress p: the
         * on-demand instance bills and progresses through the new one's start, which is billed too.
         */
        private void priceHandOvers(int t, int p) {
            for (int c = 0; c < regions; c++) {
                int from = zones + c;
                double best = INF;
                int where = -1;
                for (int x = 0; x < places; x++) {
                    int d = startTicks[c][placeRegion[x]];
                    if (x == from || d == 0 || t + d > deadline || p + d > work || x < zones && run[x][t] < d) {
                        continue;
                    }
                    double own = x < zones ? cum[x][t + d] - cum[x][t] : d * onDemandTick[x - zones];
                    double total = egress[c][placeRegion[x]] + d * onDemandTick[c] + own
                            + value[(t + d) % ring][(p + d) * states + x];
                    if (total < best) {
                        best = total;
                        where = x;
                    }
                }
                bestHandOver[c] = best;
                handOverPlace[c] = where;
            }
        }

        /** For every state at (t, p): the cheapest of idling, keeping a warm instance, or starting. */
        private void chooseActions(int t, int p, double[] v) {
            int base = p * states;
            for (int h = 0; h < states; h++) {
                int c = checkpointClass(h);
                double best = next[base + idleState(c)];
                int act = IDLE;
                if (h < places) {
                    double k = keep(h, t, p);
                    if (k < best) {
                        best = k;
                        act = KEEP;
                    }
                }
                boolean warmOnDemand = model.handOver() && h >= zones && h < places;
                if (warmOnDemand) {
                    // From a warm on-demand instance every start is a hand-over.
                    if (bestHandOver[c] < best) {
                        best = bestHandOver[c];
                        act = START + places + handOverPlace[c];
                    }
                } else if (bestStart[c] < best) {
                    best = bestStart[c];
                    act = START + bestPlace[c];
                }
                v[base + h] = best;
                action[t][base + h] = (byte) act;
            }
        }

        /** Overhead ticks of a start in place x at tick t plus the value once warm; infinite when impossible. */
        private double startBase(int x, int t, int p, int d) {
            if (t + d > deadline || x < zones && run[x][t] < d) {
                return INF;
            }
            double after = d == 0 ? keep(x, t, p) : value[(t + d) % ring][p * states + x];
            return (x < zones ? cum[x][t + d] - cum[x][t] : d * onDemandTick[x - zones]) + after;
        }

        private double keep(int x, int t, int p) {
            if (x < zones) {
                return run[x][t] > 0 ? cum[x][t + 1] - cum[x][t] + next[(p + 1) * states + x] : INF;
            }
            return onDemandTick[x - zones] + next[(p + 1) * states + x];
        }
    }

    private int checkpointClass(int h) {
        if (h < places) {
            return placeRegion[h];
        }
        return h - places;
    }

    private int idleState(int checkpointClass) {
        return places + checkpointClass;
    }

    private Decision[] extract(byte[][] action) {
        int deadline = model.deadlineTicks();
        int work = model.workTicks();
        Decision[] out = new Decision[deadline];
        Arrays.fill(out, Decision.NONE);
        int t = 0;
        int p = 0;
        int h = states - 1;
        while (t < deadline && p < work) {
            int act = action[t][p * states + h];
            if (act == IDLE) {
                h = idleState(checkpointClass(h));
                t++;
            } else if (act == KEEP) {
                out[t] = decisionOf(h);
                p++;
                t++;
            } else if (act >= START + places) {
                int x = act - START - places;
                int d = startTicks[checkpointClass(h)][placeRegion[x]];
                for (int k = 0; k < d; k++) {
                    out[t + k] = decisionOf(x);
                }
                t += d;
                p += d;
                h = x;
            } else {
                int x = act - START;
                int d = startTicks[checkpointClass(h)][placeRegion[x]];
                for (int k = 0; k < d; k++) {
                    out[t + k] = decisionOf(x);
                }
                t += d;
                h = x;
                if (d == 0) {
                    out[t] = decisionOf(x);
                    p++;
                    t++;
                }
            }
        }
        return out;
    }

    private Decision decisionOf(int place) {
        return place < zones ? Decision.spot(model.trace().zones().get(place))
                : Decision.onDemand(model.regions().get(place - zones));
    }
}
