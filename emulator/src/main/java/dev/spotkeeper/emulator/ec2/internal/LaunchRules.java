package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.emulator.market.AzNames;
import dev.spotkeeper.emulator.market.PoolView;
import dev.spotkeeper.emulator.market.SpotMarket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The checks RunInstances and CreateFleet make before anything launches, with AWS's error codes and wording. */
final class LaunchRules {
    private LaunchRules() {
    }

    /** The zone to launch in: the one asked for (by name or subnet), else the best one the market offers. */
    static AzNames.Zone zoneFor(LaunchSpec spec, SpotMarket market) {
        AzNames zones = market.zones();
        if (zones.zones(spec.region()).isEmpty()) {
            throw Ec2Error.client("Unsupported", "The emulated market has no zones in region " + spec.region()
                    + "; regions: " + String.join(", ", zones.regions()));
        }
        if (spec.zoneName() != null) {
            return zones.find(spec.zoneName()).filter(z -> z.region().equals(spec.region()))
                    .orElseThrow(() -> Ec2Error.invalid("Invalid availability zone: [" + spec.zoneName() + "]"));
        }
        if (spec.subnetId() != null) {
            return Subnets.zoneOf(spec.subnetId(), zones).filter(z -> z.region().equals(spec.region()))
                    .orElseThrow(() -> Ec2Error.client("InvalidSubnetID.NotFound",
                            "The subnet ID '" + spec.subnetId() + "' does not exist"));
        }
        List<PoolView> offered = offered(spec, market);
        Optional<PoolView> best = offered.stream()
                .filter(PoolView::available)
                .filter(p -> !spec.spot() || Double.isNaN(spec.maxPrice()) || p.spotPrice() <= spec.maxPrice())
                .min(Comparator.comparingDouble(PoolView::spotPrice).thenComparing(PoolView::azName));
        String name = best.or(() -> offered.stream().findFirst()).map(PoolView::azName)
                .orElse(zones.zones(spec.region()).get(0).name());
        return zones.find(name).orElseThrow();
    }

    private static List<PoolView> offered(LaunchSpec spec, SpotMarket market) {
        List<PoolView> out = new ArrayList<>();
        for (AzNames.Zone z : market.zones().zones(spec.region())) {
            market.pool(spec.region(), z.name(), spec.type().name()).ifPresent(out::add);
        }
        return out;
    }

    static void checkQuota(LaunchSpec spec, int count, int liveVcpus, int quota) {
        int wanted = count * spec.type().vcpus();
        if (liveVcpus + wanted > quota) {
            String bucket = spec.spot() ? "All Standard Spot Instance Requests" : "Running On-Demand Standard instances";
            throw Ec2Error.client("VcpuLimitExceeded", "You have requested more vCPU capacity than your current vCPU limit of "
                    + quota + " allows for the instance bucket that the specified instance type belongs to ("
                    + bucket + "; " + liveVcpus + " in use, " + wanted + " requested). Please visit "
                    + "http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit; in the "
                    + "emulator, start it with a higher --vcpu-quota.");
        }
    }

    static void checkSpot(LaunchSpec spec, AzNames.Zone zone, SpotMarket market) {
        String type = spec.type().name();
        PoolView pool = market.pool(zone.region(), zone.name(), type).orElse(null);
        if (pool == null) {
            List<String> others = new ArrayList<>();
            for (AzNames.Zone z : market.zones().zones(zone.region())) {
                if (market.pool(z.region(), z.name(), type).isPresent()) {
                    others.add(z.name());
                }
            }
            throw Ec2Error.client("Unsupported", "Your requested instance type (" + type + ") is not supported in your "
                    + "requested Availability Zone (" + zone.name() + ")."
                    + (others.isEmpty() ? " No zone of " + zone.region() + " offers it as spot."
                    : " Please retry your request by not specifying an Availability Zone or choosing "
                    + String.join(", ", others) + "."));
        }
        if (!Double.isNaN(spec.maxPrice()) && spec.maxPrice() < pool.spotPrice()) {
            throw Ec2Error.client("SpotMaxPriceTooLow", "Your Spot request price of " + price(spec.maxPrice())
                    + " is lower than the minimum required Spot request fulfillment price of "
                    + price(pool.spotPrice()) + ".");
        }
        if (!pool.available()) {
            List<String> elsewhere = new ArrayList<>();
            for (AzNames.Zone z : market.zones().zones(zone.region())) {
                if (market.pool(z.region(), z.name(), type).map(PoolView::available).orElse(false)) {
                    elsewhere.add(z.name());
                }
            }
            // AWS's wording, which tools match on; it is a server error (HTTP 500) in EC2's error table
            throw new Ec2Error("InsufficientInstanceCapacity", "We currently do not have sufficient " + type
                    + " capacity in the Availability Zone you requested (" + zone.name() + "). Our system will be "
                    + "working on provisioning additional capacity." + (elsewhere.isEmpty() ? ""
                    : " You can currently get " + type + " capacity by not specifying an Availability Zone in your "
                    + "request or choosing " + String.join(", ", elsewhere) + "."), 500);
        }
    }

    static String price(double p) {
        return String.format(Locale.ROOT, "%.6f", p).replaceFirst("0+$", "").replaceFirst("\\.$", "");
    }
}
