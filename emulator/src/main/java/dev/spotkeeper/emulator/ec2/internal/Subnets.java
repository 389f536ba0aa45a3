package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.emulator.market.AzNames;
import java.util.Optional;

/**
 * The emulated default VPC: one subnet per zone, named after the zone id ({@code use1-az1} →
 * {@code subnet-0use1az1}) so that a subnet id says where it is.
 */
final class Subnets {
    static final String VPC_ID = "vpc-0emulated0default";

    private Subnets() {
    }

    static String idOf(AzNames.Zone zone) {
        return "subnet-0" + zone.id().replace("-", "");
    }

    static Optional<AzNames.Zone> zoneOf(String subnetId, AzNames zones) {
        for (AzNames.Zone z : zones.all()) {
            if (idOf(z).equals(subnetId)) {
                return Optional.of(z);
            }
        }
        return Optional.empty();
    }
}
