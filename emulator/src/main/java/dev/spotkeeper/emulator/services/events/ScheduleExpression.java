package dev.spotkeeper.emulator.services.events;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule: {@code rate(N minute|minutes|hour|hours|day|days)} or the six-field UTC
 * {@code cron(minutes hours day-of-month month day-of-week year)}, with {@code *}, {@code ?}, lists, ranges and
 * {@code /} increments, and {@code SUN-SAT} / {@code JAN-DEC} names (day-of-week 1 is Sunday, as EventBridge has it);
 * {@code L}, {@code W} and {@code #} are refused. One of day-of-month and day-of-week must be {@code ?}.
 */
public final class ScheduleExpression {
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT",
        "NOV", "DEC"};
    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private final String text;
    private final Duration rate;
    private final BitSet[] cron;

    private ScheduleExpression(String text, Duration rate, BitSet[] cron) {
        this.text = text;
        this.rate = rate;
        this.cron = cron;
    }

    /** {@link IllegalArgumentException} with EventBridge's message when the expression is not valid. */
    public static ScheduleExpression parse(String text) {
        Matcher r = RATE.matcher(text);
        if (r.matches()) {
            long n = Long.parseLong(r.group(1));
            String unit = r.group(2);
            if (n < 1 || (n == 1) != !unit.endsWith("s")) {
                throw invalid(text + ": the value must be a positive whole number, with a singular unit for 1 and a plural"
                        + " unit otherwise");
            }
            ChronoUnit u = unit.startsWith("minute") ? ChronoUnit.MINUTES : unit.startsWith("hour") ? ChronoUnit.HOURS
                    : ChronoUnit.DAYS;
            return new ScheduleExpression(text, Duration.of(n, u), null);
        }
        Matcher c = CRON.matcher(text);
        if (c.matches()) {
            String[] f = c.group(1).trim().split("\\s+");
            if (f.length != 6) {
                throw invalid(text + ": cron takes six fields (minutes hours day-of-month month day-of-week year)");
            }
            boolean domAny = f[2].equals("?");
            boolean dowAny = f[4].equals("?");
            if (domAny == dowAny) {
                throw invalid(text + ": exactly one of day-of-month and day-of-week must be ?");
            }
            BitSet[] sets = {field(f[0], 0, 59, null, text), field(f[1], 0, 23, null, text),
                domAny ? null : field(f[2], 1, 31, null, text), field(f[3], 1, 12, MONTHS, text),
                dowAny ? null : field(f[4], 1, 7, DAYS, text), field(f[5], 1970, 2199, null, text)};
            return new ScheduleExpression(text, null, sets);
        }
        throw invalid(text + ": use rate(N unit) or cron(minutes hours day-of-month month day-of-week year)");
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("Parameter ScheduleExpression is not valid. " + why);
    }

    private static BitSet field(String spec, int min, int max, String[] names, String text) {
        BitSet set = new BitSet();
        for (String part : spec.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), min, Integer.MAX_VALUE, null, text);
                range = part.substring(0, slash);
            }
            int lo;
            int hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                lo = number(ends[0], min, max, names, text);
                hi = number(ends[1], min, max, names, text);
            } else {
                lo = number(range, min, max, names, text);
                hi = slash >= 0 ? max : lo;
            }
            if (step < 1 || lo > hi) {
                throw invalid(text + ": " + part + " is not a valid range");
            }
            for (int v = lo; v <= hi; v += step) {
                set.set(v);
            }
        }
        return set;
    }

    private static int number(String s, int min, int max, String[] names, String text) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(s.toUpperCase(Locale.ROOT))) {
                    return i + 1;
                }
            }
        }
        try {
            int v = Integer.parseInt(s);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw invalid(text + ": " + s + " is not a value between " + min + " and " + max
                + (s.matches(".*[LW#].*") ? " (L, W and # are not served by the emulator)" : ""));
    }

    public String text() {
        return text;
    }

    /**
     * The first time after {@code after} this schedule fires. A rate counts from {@code start} (the time the rule
     * was put); a cron fires at the start of each matching UTC minute.
     */
    public Instant nextAfter(Instant start, Instant after) {
        return nextAfter(start, after, 1);
    }

    /**
     * As {@link #nextAfter(Instant, Instant)}, with a rate's period divided by {@code rateScale} (at least 1): the
     * emulator's faster schedules for tests. A cron is not scaled.
     */
    public Instant nextAfter(Instant start, Instant after, double rateScale) {
        if (!(rateScale >= 1)) {
            throw new IllegalArgumentException("rate scale must be at least 1: " + rateScale);
        }
        if (rate != null) {
            Duration period = Duration.ofNanos(Math.max(1_000_000L, (long) (rate.toNanos() / rateScale)));
            if (after.isBefore(start)) {
                return start.plus(period);
            }
            long periods = Duration.between(start, after).toNanos() / period.toNanos() + 1;
            return start.plus(period.multipliedBy(periods));
        }
        ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!cron[5].get(t.getYear())) {
                t = t.plusYears(1).withDayOfYear(1).truncatedTo(ChronoUnit.DAYS);
            } else if (!cron[3].get(t.getMonthValue())) {
                t = t.plusMonths(1).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS);
            } else if (!dayMatches(t)) {
                t = t.plusDays(1).truncatedTo(ChronoUnit.DAYS);
            } else if (!cron[1].get(t.getHour())) {
                t = t.plusHours(1).truncatedTo(ChronoUnit.HOURS);
            } else if (!cron[0].get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t.toInstant();
            }
        }
        return Instant.MAX;
    }

    private boolean dayMatches(ZonedDateTime t) {
        if (cron[2] != null) {
            return cron[2].get(t.getDayOfMonth());
        }
        int dow = t.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : t.getDayOfWeek().getValue() + 1;
        return cron[4].get(dow);
    }
}
