package dev.spotkeeper.emulator.ec2.internal;

import dev.spotkeeper.core.market.InstanceCatalog;
import dev.spotkeeper.core.market.InstanceType;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.emulator.market.AzNames;
import dev.spotkeeper.emulator.market.SpotMarket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The read-only catalogue: regions, zones, subnets, instance types and images. */
final class CatalogActions {
    private final SpotMarket market;
    private final InstanceCatalog catalog = ShippedMarket.catalog();

    CatalogActions(SpotMarket market) {
        this.market = market;
    }

    String describeRegions(Call c) {
        List<String> asked = c.params().list("RegionName");
        Xml x = c.response().open("regionInfo");
        for (String region : market.zones().regions()) {
            if (asked.isEmpty() || asked.contains(region)) {
                x.open("item").el("regionName", region).el("regionEndpoint", "ec2." + region + ".amazonaws.com")
                        .el("optInStatus", "opt-in-not-required").close();
            }
        }
        return x.finish();
    }

    String describeAvailabilityZones(Call c) {
        List<String> names = c.params().list("ZoneName");
        List<String> ids = c.params().list("ZoneId");
        Map<String, List<String>> filters = c.params().filters();
        Xml x = c.response().open("availabilityZoneInfo");
        for (AzNames.Zone z : market.zones().zones(c.region())) {
            boolean wanted = (names.isEmpty() || names.contains(z.name())) && (ids.isEmpty() || ids.contains(z.id()))
                    && Filters.matches(filters, "zone-name", z.name()) && Filters.matches(filters, "zone-id", z.id())
                    && Filters.matches(filters, "region-name", z.region());
            if (wanted) {
                x.open("item").el("optInStatus", "opt-in-not-required").empty("messageSet")
                        .el("regionName", z.region()).el("zoneName", z.name()).el("zoneId", z.id())
                        .el("groupName", z.region()).el("networkBorderGroup", z.region())
                        .el("zoneType", "availability-zone").el("zoneState", "available").close();
            }
        }
        return x.finish();
    }

    String describeSubnets(Call c) {
        List<String> asked = c.params().list("SubnetId");
        Map<String, List<String>> filters = c.params().filters();
        Xml x = c.response().open("subnetSet");
        int i = 0;
        for (AzNames.Zone z : market.zones().zones(c.region())) {
            String id = Subnets.idOf(z);
            if ((asked.isEmpty() || asked.contains(id)) && Filters.matches(filters, "availability-zone", z.name())) {
                x.open("item").el("subnetId", id).el("state", "available").el("vpcId", Subnets.VPC_ID)
                        .el("cidrBlock", "10.0." + (i * 16) + ".0/20").el("availableIpAddressCount", 4091)
                        .el("availabilityZone", z.name()).el("availabilityZoneId", z.id())
                        .el("defaultForAz", true).el("mapPublicIpOnLaunch", false).el("ownerId", Lifecycle.ACCOUNT_ID)
                        .close();
            }
            i++;
        }
        return x.finish();
    }

    String describeInstanceTypes(Call c) {
        List<String> asked = c.params().list("InstanceType");
        List<InstanceType> types = new ArrayList<>();
        if (asked.isEmpty()) {
            for (String name : catalog.names()) {
                InstanceType t = catalog.find(name).orElseThrow();
                if (Filters.matches(c.params().filters(), "instance-type", name)) {
                    types.add(t);
                }
            }
        } else {
            List<String> unknown = new ArrayList<>();
            for (String name : asked) {
                catalog.find(name).ifPresentOrElse(types::add, () -> unknown.add(name));
            }
            if (!unknown.isEmpty()) {
                throw Ec2Error.client("InvalidInstanceType", "The following supplied instance types do not exist: "
                        + unknown + ". Did you mean: " + String.join(", ", dev.spotkeeper.core.Names.nearest(
                        unknown.get(0), catalog.names(), 5)) + "?");
            }
        }
        Page<InstanceType> page = Page.of(types, c.params(), 100);
        Xml x = c.response().open("instanceTypeSet");
        for (InstanceType t : page.items()) {
            instanceType(x, t);
        }
        x.close().el("nextToken", page.nextToken());
        return x.finish();
    }

    private static void instanceType(Xml x, InstanceType t) {
        x.open("item").el("instanceType", t.name()).el("currentGeneration", true)
                .open("supportedUsageClasses").el("item", "on-demand").el("item", "spot").close()
                .open("supportedRootDeviceTypes").el("item", "ebs").close()
                .open("supportedVirtualizationTypes").el("item", "hvm").close()
                .el("bareMetal", t.name().endsWith(".metal")).el("hypervisor", "nitro")
                .open("processorInfo").open("supportedArchitectures").el("item", t.architecture().awsName()).close()
                .close()
                .open("vCpuInfo").el("defaultVCpus", t.vcpus()).close()
                .open("memoryInfo").el("sizeInMiB", Math.round(t.memoryGib() * 1024)).close();
        if (t.gpus() > 0) {
            String name = gpuName(t.family());
            int memory = gpuMemoryMib(name);
            x.open("gpuInfo").open("gpus").open("item").el("name", name).el("manufacturer", "NVIDIA")
                    .el("count", t.gpus()).open("memoryInfo").el("sizeInMiB", memory).close().close().close()
                    .el("totalGpuMemoryInMiB", memory * t.gpus()).close();
        }
        x.close();
    }

    /** The accelerator of each GPU family, from the EC2 accelerated-computing instance pages. */
    private static String gpuName(String family) {
        return switch (family) {
            case "p2" -> "K80";
            case "p3", "p3dn" -> "V100";
            case "p4d", "p4de" -> "A100";
            case "p5", "p5e", "p5en" -> "H100";
            case "g3", "g3s" -> "M60";
            case "g4dn" -> "T4";
            case "g4ad" -> "Radeon Pro V520";
            case "g5" -> "A10G";
            case "g5g" -> "T4g";
            case "g6", "gr6" -> "L4";
            case "g6e" -> "L40S";
            default -> "GPU";
        };
    }

    private static int gpuMemoryMib(String name) {
        return switch (name) {
            case "K80", "M60" -> 12_288;
            case "V100" -> 16_384;
            case "A100" -> 40_960;
            case "H100" -> 81_920;
            case "A10G", "T4", "T4g", "L4" -> name.equals("A10G") ? 24_576 : 16_384;
            case "L40S" -> 45_776;
            default -> 8_192;
        };
    }

    String describeImages(Call c) {
        List<String> asked = c.params().list("ImageId");
        for (String id : asked) {
            if (Images.find(id).isEmpty()) {
                throw Ec2Error.client("InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist");
            }
        }
        List<String> owners = c.params().list("Owner");
        Map<String, List<String>> filters = c.params().filters();
        Xml x = c.response().open("imagesSet");
        for (Images.Image image : Images.ALL) {
            if ((asked.isEmpty() || asked.contains(image.id())) && ownedByAny(image, owners)
                    && Filters.matches(filters, "name", image.name())
                    && Filters.matches(filters, "architecture", image.architecture())
                    && Filters.matches(filters, "image-id", image.id())
                    && Filters.matches(filters, "owner-id", image.owner())
                    && Filters.matches(filters, "owner-alias", image.alias())
                    && Filters.matches(filters, "is-public", "true")
                    && Filters.matches(filters, "state", "available")
                    && Filters.matches(filters, "image-type", "machine")) {
                Images.write(x, image);
            }
        }
        return x.finish();
    }

    /**
     * DescribeImages' {@code Owners}: account ids, {@code amazon} (the images whose owner alias is amazon),
     * {@code self} (the caller's own: the emulator's account owns none) and the other aliases; none means any.
     */
    private static boolean ownedByAny(Images.Image image, List<String> owners) {
        if (owners.isEmpty()) {
            return true;
        }
        for (String owner : owners) {
            if (owner.equals(image.owner()) || owner.equals(image.alias())) {
                return true;
            }
        }
        return false;
    }
}
