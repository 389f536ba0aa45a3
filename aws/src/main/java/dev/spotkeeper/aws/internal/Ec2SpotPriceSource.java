package dev.spotkeeper.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.Ec2Clients;
import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.signals.SpotPrice;
import dev.spotkeeper.core.signals.SpotPriceSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.DescribeSpotPriceHistoryRequest;

/**
 * Current per-AZ prices from {@code DescribeSpotPriceHistory}. With {@code StartTime} = now, EC2 returns the
 * price in effect now for each AZ and type (plus any change since), so one short history answers "what does it
 * cost right now" without downloading days of prices. All pages are read; the newest entry per AZ and type wins.
 */
public final class Ec2SpotPriceSource implements SpotPriceSource {
    static final String LINUX = "Linux/UNIX";
    static final String ACTION = "DescribeSpotPriceHistory";

    private final Ec2Clients clients;
    private final Clock clock;

    public Ec2SpotPriceSource(Ec2Clients clients, Clock clock) {
        this.clients = requireNonNull(clients, "clients is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public List<SpotPrice> latestPrices(String region, List<String> instanceTypes) {
        DescribeSpotPriceHistoryRequest.Builder builder = DescribeSpotPriceHistoryRequest.builder()
                .productDescriptions(LINUX)
                .startTime(clock.instant());
        if (!instanceTypes.isEmpty()) {
            // None named: EC2 answers for every type, one paged listing (about 4,000 rows in us-east-1).
            builder.instanceTypesWithStrings(instanceTypes);
        }
        DescribeSpotPriceHistoryRequest request = builder.build();
        Map<String, SpotPrice> latest = new LinkedHashMap<>();
        try {
            for (var item : clients.forRegion(region).describeSpotPriceHistoryPaginator(request).spotPriceHistory()) {
                SpotPrice price = new SpotPrice(region, item.availabilityZone(), item.instanceTypeAsString(),
                        parsePrice(item.spotPrice()), item.timestamp());
                String key = price.azName() + "/" + price.instanceType();
                SpotPrice seen = latest.get(key);
                if (seen == null || price.time().isAfter(seen.time())) {
                    latest.put(key, price);
                }
            }
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, ACTION, clients.settings().ec2Endpoint(region));
        }
        return List.copyOf(new ArrayList<>(latest.values()));
    }

    private static double parsePrice(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException | NullPointerException e) {
            throw SpotkeeperException.of(ErrorCode.CLOUD_ERROR,
                    ACTION + " returned a price that is not a number: '" + text + "'");
        }
    }
}
