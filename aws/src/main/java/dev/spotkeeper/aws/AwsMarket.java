package dev.spotkeeper.aws;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.market.MarketPort;
import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.core.signals.LiveMarket;
import dev.spotkeeper.core.signals.RefreshRequest;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The controller's market from live signals: {@link AwsSignals} (spot price history, placement scores, the Spot
 * Advisor feed) behind a {@link LiveMarket} cache, on AWS or on the local emulator through the same adapters, with
 * the shipped SpotLake snapshot as the stated fallback. Every process that runs a controller (the CLI, the local
 * control plane, a Lambda handler) builds its market here, from {@link Config}.
 *
 * <p>Every type the regions list is priced (one paged {@code DescribeSpotPriceHistory} per region), so a workload
 * asking for any type that meets its size is placed on live prices; placement scores are asked only for the
 * {@link Config#scoredTypes()}, since every score request spends the account's score quota.
 */
public final class AwsMarket implements MarketPort, AutoCloseable {
    /** Types that get placement scores unless the configuration names others: general-purpose and compute. */
    public static final List<String> DEFAULT_SCORED_TYPES = List.of("m5.large", "m5.xlarge", "m5a.large", "m6i.large",
            "c5.large", "c6i.large", "r5.large");
    /** Where the emulator serves its market as a Spot Advisor feed. */
    public static final String EMULATOR_ADVISOR_PATH = "/_spotkeeper/spot-advisor-data.json";
    static final String FALLBACK_NAME = "the shipped SpotLake snapshot of 2022-07-12 (its AZ names are another"
            + " account's)";
    /** A market refresh gives up sooner than a command's calls: a pass must not wait a minute on it. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /**
     * On the emulator, which shares its machine with the controller, its instances and whatever else runs there: a
     * cold process's refresh (advisor feed, three pages of {@code DescribeSpotPriceHistory}, a score request) took
     * 1.7 s at a load average of 8, but a build loading the machine far more has seen a call pass 10 s, and the
     * fallback then, whose AZ names are another account's, places a fleet in zones the emulator does not have.
     */
    static final Duration EMULATOR_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** How long the first refresh on the emulator may hold a call (later ones a second: see {@link LiveMarket}). */
    static final Duration EMULATOR_MAX_WAIT = Duration.ofSeconds(45);

    private final AwsSignals signals;
    private final LiveMarket market;

    /**
     * Where the signals come from and how long they are kept.
     *
     * @param settings how to reach EC2 (an endpoint for the emulator, else AWS)
     * @param regions the regions the controller places in
     * @param advisorUrl the Spot Advisor feed (AWS's public one, or the emulator's)
     * @param cache TTL, longest wait of a pass and retry delay
     * @param callTimeout how long one call of a refresh may take, its retry included
     */
    public record Config(AwsSettings settings, List<String> regions, List<String> scoredTypes, URI advisorUrl,
                         LiveMarket.Settings cache, Duration callTimeout) {
        public Config {
            requireNonNull(callTimeout, "callTimeout is null");
            requireNonNull(settings, "settings is null");
            regions = List.copyOf(regions);
            scoredTypes = List.copyOf(scoredTypes);
            requireNonNull(advisorUrl, "advisorUrl is null");
            requireNonNull(cache, "cache is null");
            if (regions.isEmpty()) {
                throw new IllegalArgumentException("the market needs at least one region");
            }
        }

        /** AWS: its endpoints, its public advisor feed, a five-minute TTL. */
        public static Config aws(AwsSettings settings, List<String> regions) {
            return new Config(settings, regions, DEFAULT_SCORED_TYPES, AwsSignals.SPOT_ADVISOR_URL,
                    LiveMarket.Settings.defaults(), CALL_TIMEOUT);
        }

        /**
         * The local emulator at the settings' endpoint, its own advisor feed; a one-minute TTL, the length of one
         * step of its market at time scale 1; longer bounds on a call and on the first refresh than on AWS, since
         * the emulator's answers slow down with whatever else loads its machine.
         */
        public static Config emulator(AwsSettings settings, List<String> regions) {
            URI endpoint = settings.endpointOverride().orElseThrow(() ->
                    new IllegalArgumentException("the emulator's market needs its endpoint"));
            return new Config(settings, regions, DEFAULT_SCORED_TYPES, endpoint.resolve(EMULATOR_ADVISOR_PATH),
                    LiveMarket.Settings.defaults().withTtl(Duration.ofMinutes(1)).withMaxWait(EMULATOR_MAX_WAIT),
                    EMULATOR_CALL_TIMEOUT);
        }

        public Config withCache(LiveMarket.Settings value) {
            return new Config(settings, regions, scoredTypes, advisorUrl, value, callTimeout);
        }

        public Config withAdvisorUrl(URI value) {
            return new Config(settings, regions, scoredTypes, value, cache, callTimeout);
        }

        public Config withCallTimeout(Duration value) {
            return new Config(settings, regions, scoredTypes, advisorUrl, cache, value);
        }

        /**
         * The configuration with what the environment changes: {@code SPOTKEEPER_MARKET_TTL} (seconds, or an ISO-8601
         * duration such as PT5M), {@code SPOTKEEPER_MARKET_SCORED_TYPES} (comma-separated types),
         * {@code SPOTKEEPER_ADVISOR_URL} (another copy of the feed, such as a {@code file:} URL).
         */
        public Config withEnvironment(Map<String, String> env) {
            Config c = this;
            String ttl = env.get("SPOTKEEPER_MARKET_TTL");
            if (ttl != null && !ttl.isBlank()) {
                c = c.withCache(cache.withTtl(duration("SPOTKEEPER_MARKET_TTL", ttl.trim())));
            }
            String types = env.get("SPOTKEEPER_MARKET_SCORED_TYPES");
            if (types != null && !types.isBlank()) {
                c = new Config(settings, regions, Arrays.stream(types.split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList(), c.advisorUrl, c.cache, c.callTimeout);
            }
            String advisor = env.get("SPOTKEEPER_ADVISOR_URL");
            if (advisor != null && !advisor.isBlank()) {
                c = c.withAdvisorUrl(URI.create(advisor.trim()));
            }
            return c;
        }

        private static Duration duration(String name, String text) {
            try {
                return text.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(text))
                        : Duration.parse(text);
            } catch (DateTimeParseException | ArithmeticException e) {
                throw SpotkeeperException.invalidArgument(name + " must be seconds (300) or an ISO-8601 duration"
                        + " (PT5M), was '" + text + "'");
            }
        }
    }

    /** @param warnings where the one-line warnings about the fallback go */
    public AwsMarket(Config config, Clock clock, Consumer<String> warnings) {
        requireNonNull(config, "config is null");
        AwsSettings bounded = new AwsSettings(config.settings().endpoint(), config.settings().profile(),
                config.settings().credentials(), Math.min(2, config.settings().maxAttempts()), config.callTimeout());
        this.signals = new AwsSignals(bounded, config.advisorUrl(), clock);
        RefreshRequest request = RefreshRequest.everyType(config.regions(), config.scoredTypes());
        this.market = new LiveMarket(signals.refresher()::refresh, () -> request, ShippedMarket::spotLake,
                FALLBACK_NAME, config.cache(), clock, warnings);
    }

    @Override
    public MarketSnapshot current() {
        return market.current();
    }

    @Override
    public Optional<String> fallback() {
        return market.fallback();
    }

    @Override
    public void close() {
        signals.close();
    }
}
