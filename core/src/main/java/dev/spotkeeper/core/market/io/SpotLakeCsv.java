package dev.spotkeeper.core.market.io;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.Pool;
import dev.spotkeeper.core.market.PoolSignals;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A SpotLake snapshot ({@code SpotPrice,Savings,SPS,AZ,Region,InstanceType,IF,time}): AZ ids, the placement
 * score as collected and the interruption score where higher is calmer.
 */
public final class SpotLakeCsv {
    static final String HEADER_PREFIX = "SpotPrice,Savings,SPS";
    private static final List<String> COLUMNS = List.of("SpotPrice", "Savings", "SPS", "AZ", "Region", "InstanceType", "IF", "time");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssXXX");

    private SpotLakeCsv() {
    }

    public static MarketSnapshot parse(String file, String text, InstanceCatalog catalog) {
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw SpotkeeperException.malformedFile(file, 1, "the file is empty; expected the header " + String.join(",", COLUMNS));
        }
        CsvLines csv = new CsvLines(file, lines[0], COLUMNS);
        List<PoolSignals> pools = new ArrayList<>(lines.length);
        Instant newest = Instant.EPOCH;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            csv.next(i + 1, lines[i]);
            String typeName = csv.required("InstanceType");
            InstanceType type = catalog.find(typeName).orElseThrow(() -> csv.error(
                    "unknown instance type '" + typeName + "'"));
            double price = csv.number("SpotPrice");
            double savings = csv.number("Savings");
            if (savings >= 100 || savings < -100) {
                throw csv.error("Savings must be a percentage below 100, was " + savings);
            }
            int sps = csv.integer("SPS");
            if (sps < 1 || sps > 10) {
                throw csv.error("SPS must be 1..10, was " + sps);
            }
            InterruptionBand band;
            try {
                band = InterruptionBand.ofSpotLakeScore(csv.number("IF"));
            } catch (SpotkeeperException e) {
                throw csv.error(e.getMessage());
            }
            Instant time;
            try {
                time = OffsetDateTime.parse(csv.required("time"), TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw csv.error("time should look like 2022-07-12 04:20:02+00:00 but is '" + csv.text("time") + "'");
            }
            if (time.isAfter(newest)) {
                newest = time;
            }
            double onDemand = price / (1.0 - savings / 100.0);
            Pool pool = new Pool(csv.required("Region"), csv.required("AZ"), "", typeName);
            pools.add(new PoolSignals(pool, type, time, price, onDemand, sps,
                    "SpotLake collection (single-AZ, 1 unit)", band));
        }
        if (pools.isEmpty()) {
            throw SpotkeeperException.malformedFile(file, 2, "no pools after the header");
        }
        return new MarketSnapshot(file, newest, pools);
    }
}
