package dev.spotkeeper.sim;

import dev.spotkeeper.sim.trace.Trace;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small random markets: two or three zones over two regions, spells of availability drawn from a two-state
 * Markov chain (so spot comes and goes in runs, as on the real traces), prices that drift, and a job whose
 * slack, restart and checkpoint size vary.
 */
final class RandomTraces {
    private static final List<String> ZONES = List.of("us-east-1a", "us-east-2b", "us-west-2a");

    record Case(Trace trace, JobSpec job) {
    }

    private RandomTraces() {
    }

    static Case draw(SplittableRandom random) {
        int zones = 2 + random.nextInt(2);
        int work = 2 + random.nextInt(10);
        int restart = 1 + random.nextInt(3);
        int slack = random.nextInt(12);
        int deadline = work + restart + slack;
        int ticks = deadline + random.nextInt(5);
        boolean[][] available = new boolean[zones][ticks];
        double[][] prices = new double[zones][ticks];
        for (int z = 0; z < zones; z++) {
            double up = 0.5 + 0.45 * random.nextDouble();
            boolean on = random.nextBoolean();
            double price = 0.5 + 2 * random.nextDouble();
            for (int t = 0; t < ticks; t++) {
                on = on ? random.nextDouble() < up : random.nextDouble() < 0.35;
                available[z][t] = on;
                price = Math.max(0.2, price + (random.nextDouble() - 0.5) * 0.3);
                prices[z][t] = price;
            }
        }
        double gap = 3600;
        Trace trace = TinyTraces.of(gap, 3.0, ZONES.subList(0, zones), available, prices);
        JobSpec job = new JobSpec(work, deadline, restart - 0.5 * random.nextDouble(), random.nextInt(3) * 40);
        return new Case(trace, job);
    }
}
