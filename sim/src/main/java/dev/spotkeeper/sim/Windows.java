package dev.spotkeeper.sim;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.sim.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Which windows of a trace a scenario replays: given starts (hours after the first trace row), or {@code count}
 * starts drawn uniformly with {@code seed} among those in {@code [fromHours, toHours]} whose whole deadline fits in
 * the trace.
 */
public record Windows(List<Double> startHours, int count, long seed, double fromHours, double toHours) {
    public Windows {
        startHours = List.copyOf(startHours);
        if (startHours.isEmpty() && count < 1) {
            throw SpotkeeperException.invalidArgument("a scenario needs at least one window, got " + count);
        }
        if (!(fromHours >= 0) || !(toHours >= fromHours)) {
            throw SpotkeeperException.invalidArgument(String.format(Locale.ROOT,
                    "window starts must be drawn from a range with 0 <= from <= to, got %.4f..%.4f h", fromHours, toHours));
        }
    }

    /** Windows starting at these hours after the first trace row. */
    public static Windows at(List<Double> hours) {
        if (hours.isEmpty()) {
            throw SpotkeeperException.invalidArgument("no window starts given");
        }
        return new Windows(hours, hours.size(), 1, 0, Double.MAX_VALUE);
    }

    /** {@code count} windows drawn with {@code seed} anywhere in the trace. */
    public static Windows random(int count, long seed) {
        return new Windows(List.of(), count, seed, 0, Double.MAX_VALUE);
    }

    /** {@code count} windows drawn with {@code seed} among those starting between the two hours. */
    public static Windows random(int count, long seed, double fromHours, double toHours) {
        return new Windows(List.of(), count, seed, fromHours, toHours);
    }

    public boolean given() {
        return !startHours.isEmpty();
    }

    /** How many windows. */
    public int size() {
        return given() ? startHours.size() : count;
    }

    /** The start ticks for windows {@code lengthTicks} long on {@code trace}. */
    public List<Integer> starts(Trace trace, int lengthTicks) {
        List<Integer> out = new ArrayList<>();
        if (given()) {
            for (double h : startHours) {
                out.add((int) Math.round(h / trace.gapHours()));
            }
            return out;
        }
        int last = trace.ticks() - lengthTicks;
        if (last < 0) {
            throw SpotkeeperException.invalidArgument(String.format(Locale.ROOT,
                    "the trace %s (%.2f h) is shorter than the deadline (%.2f h)", trace.source(),
                    trace.ticks() * trace.gapHours(), lengthTicks * trace.gapHours()));
        }
        int lo = (int) Math.ceil(fromHours / trace.gapHours() - 1e-9);
        int hi = toHours >= Double.MAX_VALUE ? last : Math.min(last, (int) Math.floor(toHours / trace.gapHours() + 1e-9));
        if (lo > hi) {
            throw SpotkeeperException.invalidArgument(String.format(Locale.ROOT,
                    "no window of %.2f h starts between %.2f h and %.2f h of the trace %s (%.2f h long)",
                    lengthTicks * trace.gapHours(), fromHours, Math.min(toHours, trace.ticks() * trace.gapHours()),
                    trace.source(), trace.ticks() * trace.gapHours()));
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            out.add(lo + random.nextInt(hi - lo + 1));
        }
        return out;
    }
}
