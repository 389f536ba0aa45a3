package dev.spotkeeper.core.market.io;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.MarketSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The market data that ships inside spotkeeper, so that placement works with no network and no account. */
public final class ShippedMarket {
    public static final String SPOT_ADVISOR = "spot-advisor-data-2025-07.json";
    public static final String SPOTLAKE = "spotlake-snapshot-2022-07-12.csv";

    private static volatile SpotAdvisorFeed advisor;
    private static volatile MarketSnapshot spotLake;

    private ShippedMarket() {
    }

    /** The Spot Advisor feed of July 2025 (bands, savings, vCPUs and memory of 929 types). */
    public static SpotAdvisorFeed spotAdvisor() {
        SpotAdvisorFeed feed = advisor;
        if (feed == null) {
            feed = SpotAdvisorFeed.parse(SPOT_ADVISOR, resource(SPOT_ADVISOR));
            advisor = feed;
        }
        return feed;
    }

    public static InstanceCatalog catalog() {
        return spotAdvisor().catalog();
    }

    /** The SpotLake snapshot of 2022-07-12: 18,198 pools with price, placement score and band. */
    public static MarketSnapshot spotLake() {
        MarketSnapshot market = spotLake;
        if (market == null) {
            market = SpotLakeCsv.parse(SPOTLAKE, resource(SPOTLAKE), catalog());
            spotLake = market;
        }
        return market;
    }

    static String resource(String name) {
        try (InputStream in = ShippedMarket.class.getResourceAsStream("/dev/spotkeeper/core/market/data/" + name)) {
            if (in == null) {
                throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR,
                        "shipped market file " + name + " is missing from the jar; rebuild spotkeeper");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SpotkeeperException.of(dev.spotkeeper.core.ErrorCode.INTERNAL_ERROR,
                    "cannot read shipped market file " + name + ": " + e.getMessage(), e);
        }
    }
}
