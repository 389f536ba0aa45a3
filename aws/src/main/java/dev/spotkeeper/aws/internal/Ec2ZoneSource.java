package dev.spotkeeper.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.Ec2Clients;
import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.signals.Zone;
import dev.spotkeeper.core.signals.ZoneSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.AvailabilityZone;

/**
 * AZ names and ids from {@code DescribeAvailabilityZones}, per region. The mapping belongs to the account
 * and does not change, so it is asked once per region and kept.
 */
public final class Ec2ZoneSource implements ZoneSource {
    static final String ACTION = "DescribeAvailabilityZones";

    private final Ec2Clients clients;
    private final Map<String, List<Zone>> byRegion = new ConcurrentHashMap<>();

    public Ec2ZoneSource(Ec2Clients clients) {
        this.clients = requireNonNull(clients, "clients is null");
    }

    @Override
    public List<Zone> zones(String region) {
        List<Zone> known = byRegion.get(region);
        if (known != null) {
            return known;
        }
        List<Zone> zones = new ArrayList<>();
        try {
            for (AvailabilityZone az : clients.forRegion(region).describeAvailabilityZones().availabilityZones()) {
                // Local and Wavelength zones have no spot pools in the price history's sense; keep real AZs.
                boolean plainAz = az.zoneType() == null || "availability-zone".equals(az.zoneType());
                if (plainAz && az.zoneName() != null && az.zoneId() != null) {
                    zones.add(new Zone(az.regionName() == null ? region : az.regionName(), az.zoneName(), az.zoneId()));
                }
            }
        } catch (SdkException e) {
            throw AwsErrorTranslator.translate(e, ACTION, clients.settings().ec2Endpoint(region));
        }
        List<Zone> result = List.copyOf(zones);
        byRegion.put(region, result);
        return result;
    }
}
