package dev.spotkeeper.aws;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.internal.Ec2PlacementScoreSource;
import dev.spotkeeper.aws.internal.Ec2SpotPriceSource;
import dev.spotkeeper.aws.internal.Ec2ZoneSource;
import dev.spotkeeper.aws.internal.HttpAdvisorSource;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.signals.AdvisorSource;
import dev.spotkeeper.core.signals.CachingPlacementScoreSource;
import dev.spotkeeper.core.signals.PlacementScoreSource;
import dev.spotkeeper.core.signals.SignalsRefresher;
import dev.spotkeeper.core.signals.SpotPriceSource;
import dev.spotkeeper.core.signals.ZoneSource;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The live market-signal sources on AWS, wired into a {@link SignalsRefresher}. Keep one instance for as long
 * as the refreshes should share the placement-score cache (the controller keeps it for its lifetime).
 */
public final class AwsSignals implements AutoCloseable {
    /** The public Spot Instance Advisor feed (no account needed). */
    public static final URI SPOT_ADVISOR_URL = URI.create("https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json");

    private final Ec2Clients clients;
    private final SpotPriceSource prices;
    private final ZoneSource zones;
    private final CachingPlacementScoreSource scores;
    private final AdvisorSource advisor;
    private final SignalsRefresher refresher;

    /** Placement scores cached in memory only (for as long as this instance lives). */
    public AwsSignals(AwsSettings settings, URI advisorUrl, Clock clock) {
        this(settings, advisorUrl, clock, null);
    }

    /**
     * @param scoreCacheFile where placement scores are also cached, so separate runs share them; null for
     *        memory only
     */
    public AwsSignals(AwsSettings settings, URI advisorUrl, Clock clock, Path scoreCacheFile) {
        requireNonNull(settings, "settings is null");
        requireNonNull(clock, "clock is null");
        this.clients = new Ec2Clients(settings);
        this.prices = new Ec2SpotPriceSource(clients, clock);
        this.zones = new Ec2ZoneSource(clients);
        PlacementScoreSource ec2Scores = new Ec2PlacementScoreSource(clients);
        this.scores = scoreCacheFile == null ? new CachingPlacementScoreSource(ec2Scores, clock)
                : CachingPlacementScoreSource.persistent(ec2Scores, clock, scoreCacheFile);
        this.advisor = new HttpAdvisorSource(requireNonNull(advisorUrl, "advisorUrl is null"));
        String where = settings.endpointOverride().map(URI::toString).orElse("EC2");
        this.refresher = new SignalsRefresher(prices, zones, scores, advisor, ShippedMarket.catalog(), clock, where);
    }

    public SignalsRefresher refresher() {
        return refresher;
    }

    public SpotPriceSource prices() {
        return prices;
    }

    public ZoneSource zones() {
        return zones;
    }

    /** Placement scores, answered from a 10-minute cache keyed by the request. */
    public CachingPlacementScoreSource placementScores() {
        return scores;
    }

    public AdvisorSource advisor() {
        return advisor;
    }

    @Override
    public void close() {
        clients.close();
    }
}
