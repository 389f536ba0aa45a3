package dev.spotkeeper.emulator.market;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The p3.2xlarge (one V100) availability and price traces of nine AWS zones, 2023-02-15 → 2023-04-02, first
 * collected for "Can't Be Late" (NSDI '24) and published with SkyNomad; shipped with their Apache-2.0 licence.
 * In these CSVs availability 1 means a spot instance could be obtained.
 */
public final class V100Traces {
    public static final String INSTANCE_TYPE = "p3.2xlarge";
    /** On-demand price of p3.2xlarge in USD per hour, as published with the traces. */
    public static final double ON_DEMAND_PRICE = 3.06;
    static final List<String> ZONES = List.of("us-east-1a", "us-east-1c", "us-east-1d", "us-east-1f",
            "us-east-2a", "us-east-2b", "us-west-2a", "us-west-2b", "us-west-2c");
    private static final String BASE = "/dev/spotkeeper/emulator/traces/aws-v100-2023/";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static volatile List<TraceSeries> shipped;

    private V100Traces() {
    }

    /** All nine shipped traces (loaded once). */
    public static List<TraceSeries> shipped() {
        List<TraceSeries> traces = shipped;
        if (traces == null) {
            traces = load();
            shipped = traces;
        }
        return traces;
    }

    @SuppressWarnings("unchecked")
    private static List<TraceSeries> load() {
        Map<String, Object> prices = Json.parseObject(resource("v100_spot_prices.json"));
        List<TraceSeries> out = new ArrayList<>();
        for (String zone : ZONES) {
            String name = zone + "_v100_1";
            String[] lines = resource(name + ".csv").split("\r?\n");
            List<Object> zonePrices = (List<Object>) prices.get(name);
            int rows = lines.length - 1;
            if (zonePrices == null || zonePrices.size() != rows) {
                throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "shipped trace " + name + " has "
                        + rows + " rows but " + (zonePrices == null ? 0 : zonePrices.size()) + " prices");
            }
            boolean[] available = new boolean[rows];
            double[] price = new double[rows];
            for (int i = 0; i < rows; i++) {
                String line = lines[i + 1];
                available[i] = line.substring(line.indexOf(',') + 1).trim().equals("1");
                price[i] = ((Number) zonePrices.get(i)).doubleValue();
            }
            LocalDateTime first = LocalDateTime.parse(lines[1].substring(0, lines[1].indexOf(',')), TIME);
            LocalDateTime last = LocalDateTime.parse(lines[rows].substring(0, lines[rows].indexOf(',')), TIME);
            Duration tick = Duration.between(first, last).dividedBy(Math.max(1, rows - 1));
            out.add(new TraceSeries(zone.substring(0, zone.length() - 1), zone, INSTANCE_TYPE, ON_DEMAND_PRICE,
                    tick, available, price));
        }
        return List.copyOf(out);
    }

    private static String resource(String name) {
        try (InputStream in = V100Traces.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "shipped trace " + name
                        + " is missing from the jar; rebuild spotkeeper");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INTERNAL_ERROR, "cannot read shipped trace " + name + ": "
                    + e.getMessage(), e);
        }
    }
}
