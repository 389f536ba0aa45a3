package dev.spotkeeper.sim.trace;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.json.JsonException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the AWS p3.2xlarge (V100) traces of "Can't Be Late" (NSDI '24) / SkyNomad: one CSV per zone
 * ({@code date,availability}, 1 = spot could be obtained) and a JSON of per-tick prices keyed
 * {@code <zone>_v100_1}. All zones must share the same timestamps.
 */
public final class V100Traces {
    /** The nine zones shipped with spotkeeper. */
    public static final List<String> ZONES = List.of("us-east-1a", "us-east-1c", "us-east-1d", "us-east-1f",
            "us-east-2a", "us-east-2b", "us-west-2a", "us-west-2b", "us-west-2c");
    /** On-demand price of p3.2xlarge in these regions, dollars per hour. */
    public static final double ON_DEMAND_PRICE = 3.06;
    private static final String BASE = "/dev/spotkeeper/sim/traces/aws-v100-2023/";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static volatile Trace shipped;

    private V100Traces() {
    }

    /** The shipped traces, loaded once from the classpath. */
    public static Trace shipped() {
        Trace t = shipped;
        if (t == null) {
            synchronized (V100Traces.class) {
                if (shipped == null) {
                    shipped = load(name -> Resources.read(BASE + name), "classpath:" + BASE);
                }
                t = shipped;
            }
        }
        return t;
    }

    /** A source of named files: the classpath for shipped traces, a folder or a map in tests. */
    public interface Files {
        String read(String name);
    }

    /** Loads the nine zones from {@code files}; {@code where} prefixes file names in error messages. */
    public static Trace load(Files files, String where) {
        long[] times = null;
        String firstZone = null;
        boolean[][] available = new boolean[ZONES.size()][];
        for (int z = 0; z < ZONES.size(); z++) {
            String name = ZONES.get(z) + "_v100_1.csv";
            Csv csv = readAvailability(where + name, files.read(name));
            if (times == null) {
                times = csv.times;
                firstZone = name;
            } else if (!Arrays.equals(times, csv.times)) {
                throw SpotkeeperException.malformedFile(where + name, 0, "unaligned ticks: its timestamps differ from "
                        + firstZone + " (" + csv.times.length + " rows vs " + times.length + ")");
            }
            available[z] = csv.available;
        }
        double[][] prices = readPrices(where + "v100_spot_prices.json", files.read("v100_spot_prices.json"), times.length);
        double gap = times.length > 1 ? (times[times.length - 1] - times[0]) / (double) (times.length - 1) : 195;
        List<String> regions = new ArrayList<>();
        for (String zone : ZONES) {
            regions.add(Trace.regionOf(zone));
        }
        return new Trace(where, ZONES, regions, gap, available, prices, ON_DEMAND_PRICE);
    }

    record Csv(long[] times, boolean[] available) {
    }

    /** Parses {@code date,availability} rows; errors name the file and line. */
    static Csv readAvailability(String file, String text) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new StringReader(text))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw SpotkeeperException.malformedFile(file, 0, "cannot read: " + e.getMessage());
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals("date,availability")) {
            throw SpotkeeperException.malformedFile(file, 1, "wrong columns: expected the header 'date,availability', found '"
                    + (lines.isEmpty() ? "" : lines.get(0).strip()) + "'");
        }
        long[] times = new long[lines.size() - 1];
        boolean[] available = new boolean[lines.size() - 1];
        int n = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != 2) {
                throw SpotkeeperException.malformedFile(file, i + 1, "wrong columns: expected 2 cells (date,availability), found " + cells.length);
            }
            try {
                times[n] = LocalDateTime.parse(cells[0].strip(), TIME).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw SpotkeeperException.malformedFile(file, i + 1, "date '" + cells[0] + "' is not yyyy-MM-dd HH:mm:ss");
            }
            String a = cells[1].strip();
            if (!a.equals("0") && !a.equals("1")) {
                throw SpotkeeperException.malformedFile(file, i + 1, "availability must be 1 (available) or 0, found '" + a + "'");
            }
            if (n > 0 && times[n] <= times[n - 1]) {
                throw SpotkeeperException.malformedFile(file, i + 1, "unaligned ticks: time does not increase");
            }
            available[n] = a.equals("1");
            n++;
        }
        if (n == 0) {
            throw SpotkeeperException.malformedFile(file, 0, "no rows after the header");
        }
        return new Csv(Arrays.copyOf(times, n), Arrays.copyOf(available, n));
    }

    private static double[][] readPrices(String file, String text, int ticks) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(text);
        } catch (JsonException e) {
            throw SpotkeeperException.malformedFile(file, 0, e.getMessage());
        }
        double[][] prices = new double[ZONES.size()][];
        for (int z = 0; z < ZONES.size(); z++) {
            String key = ZONES.get(z) + "_v100_1";
            prices[z] = TraceFile.numbers(file, key, root.get(key), ticks);
        }
        return prices;
    }
}
