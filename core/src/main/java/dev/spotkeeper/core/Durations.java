package dev.spotkeeper.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of spotkeeper, for workload spec values, the agent's settings and every CLI option:
 * units {@code d}, {@code h}, {@code m} and {@code s} in that order, each at most once, with a whole or decimal
 * number ({@code 90s}, {@code 30m}, {@code 1.5h}, {@code 1d}, {@code 1h30m}, {@code 1h 30m}); ISO-8601 ({@code PT2H},
 * {@code P1DT2H}); or a bare {@code 0}. Case does not matter; surrounding blanks are ignored. Negative durations are
 * refused. Precision is the millisecond.
 */
public final class Durations {
    /** What a refusal tells the user to write. */
    public static final String FORMS = "90s, 30m, 2h, 1d or 1h30m";

    private static final Pattern SHORT = Pattern.compile(
            "(?:(\\d+(?:\\.\\d+)?)d)?\\s*(?:(\\d+(?:\\.\\d+)?)h)?\\s*(?:(\\d+(?:\\.\\d+)?)m)?\\s*(?:(\\d+(?:\\.\\d+)?)s)?");

    private Durations() {
    }

    /** Why a text is not a duration: {@link #getMessage()} reads after the value's name ("maxDuration must be ..."). */
    public static final class InvalidDuration extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidDuration(String problem) {
            super(problem);
        }
    }

    /**
     * @throws InvalidDuration saying, in words that follow the value's name, what was wrong and what to write
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new InvalidDuration("must be a duration like " + FORMS + "; was nothing");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (t.startsWith("p") || t.startsWith("-p") || t.startsWith("+p")) {
            Duration d;
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new InvalidDuration("is not an ISO-8601 duration: '" + text + "'");
            }
            if (d.isNegative()) {
                throw new InvalidDuration("must not be negative; was '" + text + "'");
            }
            return d;
        }
        Matcher m = SHORT.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw new InvalidDuration("must be a duration like " + FORMS + "; was '" + text + "'");
        }
        double seconds = part(m.group(1), 86400) + part(m.group(2), 3600) + part(m.group(3), 60) + part(m.group(4), 1);
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /**
     * {@link #parse}, refusing as the user's mistake ({@code INVALID_ARGUMENT}) with the value's name first.
     *
     * @param name what the value is, such as {@code --sync-interval}
     */
    public static Duration parse(String name, String text) {
        try {
            return parse(text);
        } catch (InvalidDuration e) {
            throw SpotkeeperException.invalidArgument(name + " " + e.getMessage());
        }
    }

    private static double part(String g, double unit) {
        return g == null ? 0 : Double.parseDouble(g) * unit;
    }
}
