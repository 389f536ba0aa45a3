package dev.spotkeeper.core.placement;

import dev.spotkeeper.core.market.Architecture;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.InterruptionBand;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.Pool;
import dev.spotkeeper.core.market.PoolSignals;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small hand-built markets for placement tests. */
final class Markets {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final List<PoolSignals> pools = new ArrayList<>();

    static Markets market() {
        return new Markets();
    }

    Markets pool(String region, String az, String type, int vcpus, double mem, double price, int sps, int band) {
        InstanceType t = new InstanceType(type, vcpus, mem, 0, Architecture.ofInstanceType(type));
        pools.add(new PoolSignals(new Pool(region, az, "", type), t, T, price, price * 3, sps, sps > 0 ? "test" : "",
                band < 0 ? null : InterruptionBand.ofIndex(band)));
        return this;
    }

    MarketSnapshot build() {
        return new MarketSnapshot("test", T, pools);
    }
}
