package dev.spotkeeper.sim;

import dev.spotkeeper.core.policy.Decision;
import dev.spotkeeper.sim.trace.Trace;
import java.util.Arrays;

/**
 * The cheapest schedule for one window with the whole trace known: dynamic programming over (tick, progress in
 * ticks, state), where a state is a warm instance (a spot zone or an on-demand region), or no instance with the
 * checkpoint in a region, or no instance and no checkpoint yet. From a state the job may idle, keep a warm
 * instance for a tick (spot only while available), or start an instance anywhere: egress plus the start's
 * overhead ticks, billed, with spot available throughout. This is the simulator's model exactly, so its cost is
 * a lower bound for every policy that meets the deadline. Only this class sees the future.
 */
public final class OfflineOptimum {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final byte IDLE = 0;
    private static final byte KEEP = 1;
    private static final byte START = 2;

    private final JobModel model;
    private final int zones;
    private final int regions;
    private final int places;
    private final int states;

    public OfflineOptimum(JobModel model) {
        this.model = model;
        this.zones = model.trace().zoneCount();
        this.regions = model.regionCount();
        this.places = zones + regions;
        this.states = places + regions + 1;
    }

    /** The optimal cost and the decision for every tick of the window starting at trace tick {@code start}. */
    public record Plan(double cost, Decision[] decisions) {
    }

    public Plan solve(int start) {
        Trace trace = model.trace();
        int deadline = model.deadlineTicks();
        int work = model.workTicks();
        double g = model.tickHours();
        double onDemandTick = model.onDemandTickCost();
        double[][] cum = new double[zones][deadline + 1];
        int[][] run = new int[zones][deadline + 1];
        for (int z = 0; z < zones; z++) {
            for (int t = 0; t < deadline; t++) {
                cum[z][t + 1] = cum[z][t] + trace.price(z, start + t) * g;
            }
            for (int t = deadline - 1; t >= 0; t--) {
                run[z][t] = trace.available(z, start + t) ? run[z][t + 1] + 1 : 0;
            }
        }
        int[] placeRegion = new int[places];
        for (int x = 0; x < places; x++) {
            placeRegion[x] = x < zones ? model.regionOfZone(x) : x - zones;
        }
        int[][] startTicks = new int[regions + 1][regions];
        double[][] egress = new double[regions + 1][regions];
        int maxStart = 0;
        for (int c = 0; c <= regions; c++) {
            for (int r = 0; r < regions; r++) {
                startTicks[c][r] = model.startTicks(c == regions ? -1 : c, r);
                egress[c][r] = model.egress(c == regions ? -1 : c, r);
                maxStart = Math.max(maxStart, startTicks[c][r]);
            }
        }
        int width = (work + 1) * states;
        int ring = maxStart + 2;
        double[][] value = new double[ring][width];
        byte[][] action = new byte[deadline][width];
        double[] bestStart = new double[regions + 1];
        int[] bestPlace = new int[regions + 1];
        for (int t = deadline; t >= 0; t--) {
            double[] v = value[t % ring];
            Arrays.fill(v, INF);
            Arrays.fill(v, work * states, width, 0);
            if (t == deadline) {
                continue;
            }
            double[] next = value[(t + 1) % ring];
            int lo = Math.max(0, work - (deadline - t));
            int hi = Math.min(work - 1, t);
            for (int p = lo; p <= hi; p++) {
                for (int c = 0; c <= regions; c++) {
                    bestStart[c] = INF;
                    bestPlace[c] = -1;
                }
                for (int x = 0; x < places; x++) {
                    int r = placeRegion[x];
                    // Most checkpoint places share one start length; price that start once per place.
                    int sameD = startTicks[r][r];
                    double sameBase = startBase(x, t, p, sameD, deadline, value, ring, next, cum, run, onDemandTick);
                    for (int c = 0; c <= regions; c++) {
                        int d = startTicks[c][r];
                        double base = d == sameD ? sameBase
                                : startBase(x, t, p, d, deadline, value, ring, next, cum, run, onDemandTick);
                        double total = egress[c][r] + base;
                        if (total < bestStart[c]) {
                            bestStart[c] = total;
                            bestPlace[c] = x;
                        }
                    }
                }
                int base = p * states;
                for (int h = 0; h < states; h++) {
                    int c = checkpointClass(h, placeRegion);
                    double best = next[base + idleState(c)];
                    int act = IDLE;
                    if (h < places) {
                        double k = keep(h, t, p, next, cum, run, onDemandTick);
                        if (k < best) {
                            best = k;
                            act = KEEP;
                        }
                    }
                    if (bestStart[c] < best) {
                        best = bestStart[c];
                        act = START + bestPlace[c];
                    }
                    v[base + h] = best;
                    action[t][base + h] = (byte) act;
                }
            }
        }
        double cost = value[0][states - 1];
        return new Plan(cost, extract(action, placeRegion, startTicks));
    }

    /** Overhead ticks of a start in place x at tick t plus the value once warm; infinite when impossible. */
    private double startBase(int x, int t, int p, int d, int deadline, double[][] value, int ring, double[] next,
                             double[][] cum, int[][] run, double onDemandTick) {
        if (t + d > deadline || x < zones && run[x][t] < d) {
            return INF;
        }
        double after = d == 0 ? keep(x, t, p, next, cum, run, onDemandTick) : value[(t + d) % ring][p * states + x];
        return (x < zones ? cum[x][t + d] - cum[x][t] : d * onDemandTick) + after;
    }

    private double keep(int x, int t, int p, double[] next, double[][] cum, int[][] run, double onDemandTick) {
        if (x < zones) {
            return run[x][t] > 0 ? cum[x][t + 1] - cum[x][t] + next[(p + 1) * states + x] : INF;
        }
        return onDemandTick + next[(p + 1) * states + x];
    }

    private int checkpointClass(int h, int[] placeRegion) {
        if (h < places) {
            return placeRegion[h];
        }
        return h - places;
    }

    private int idleState(int checkpointClass) {
        return places + checkpointClass;
    }

    private Decision[] extract(byte[][] action, int[] placeRegion, int[][] startTicks) {
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
                h = idleState(checkpointClass(h, placeRegion));
                t++;
            } else if (act == KEEP) {
                out[t] = decisionOf(h);
                p++;
                t++;
            } else {
                int x = act - START;
                int d = startTicks[checkpointClass(h, placeRegion)][placeRegion[x]];
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
