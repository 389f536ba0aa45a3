package dev.spotkeeper.emulator.market;

import dev.spotkeeper.core.market.InterruptionBand;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A pool known from one snapshot (price, placement score, interruption band). Capacity is lost at a hazard
 * rate derived from the band's monthly interruption share, λ = −ln(1 − share) / 30 days, and comes back after
 * an outage of 30 minutes on average; the price jumps about every six hours to within ±10 % (σ) of the
 * snapshot price, never above on-demand. The rates are those of the Spot Instance Advisor's definition of the
 * band; the outage length and price volatility are modelling choices, documented in docs/emulator-ec2.md.
 */
public final class SnapshotPoolModel implements PoolModel {
    private static final double HOURS_PER_MONTH = 30 * 24;
    private static final double MEAN_OUTAGE_HOURS = 0.5;
    private static final double MEAN_HOURS_BETWEEN_PRICE_CHANGES = 6;
    private static final double PRICE_SIGMA = 0.10;

    private final double basePrice;
    private final double onDemandPrice;
    private final double lossPerHour;

    public SnapshotPoolModel(double basePrice, double onDemandPrice, InterruptionBand band) {
        this.basePrice = basePrice;
        this.onDemandPrice = onDemandPrice;
        double share = band == null ? InterruptionBand.FROM_5_TO_10.monthlyRate() : band.monthlyRate();
        this.lossPerHour = -Math.log(1 - share) / HOURS_PER_MONTH;
    }

    @Override
    public State initial(SplittableRandom random) {
        return new State(true, basePrice);
    }

    @Override
    public State step(Duration elapsed, Duration dt, State previous, SplittableRandom random) {
        double hours = dt.toMillis() / 3_600_000.0;
        boolean available = previous.available();
        double capacityDraw = random.nextDouble();
        if (available) {
            available = capacityDraw >= 1 - Math.exp(-lossPerHour * hours);
        } else {
            available = capacityDraw < 1 - Math.exp(-hours / MEAN_OUTAGE_HOURS);
        }
        double price = previous.price();
        double priceDraw = random.nextDouble();
        double gaussian = random.nextGaussian();
        if (priceDraw < 1 - Math.exp(-hours / MEAN_HOURS_BETWEEN_PRICE_CHANGES)) {
            double ceiling = Math.min(basePrice * 1.4, onDemandPrice);
            double next = basePrice * (1 + PRICE_SIGMA * gaussian);
            price = round(Math.max(basePrice * 0.6, Math.min(ceiling, next)));
        }
        return new State(available, price);
    }

    static double round(double price) {
        return Math.round(price * 10_000) / 10_000.0;
    }
}
