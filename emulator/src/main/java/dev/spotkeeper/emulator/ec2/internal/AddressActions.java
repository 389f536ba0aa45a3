package dev.spotkeeper.emulator.ec2.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** AllocateAddress, AssociateAddress, DisassociateAddress, DescribeAddresses, ReleaseAddress (VPC addresses). */
final class AddressActions {
    private static final Set<String> FILTERS = Set.of("allocation-id", "association-id", "instance-id", "public-ip",
            "domain", "private-ip-address", "tag-key");

    private final Ec2Backend backend;
    private final ElasticAddresses addresses;

    AddressActions(Ec2Backend backend) {
        this.backend = backend;
        this.addresses = backend.addresses();
    }

    String allocate(Call c) {
        String domain = c.params().get("Domain").orElse("vpc");
        if (!domain.equals("vpc")) {
            throw Ec2Error.invalidValue("Domain", domain, List.of("vpc"));
        }
        Map<String, String> tags = LaunchSpecs.tags(c.params(), "elastic-ip");
        ElasticAddresses.View a = addresses.allocate(backend.newId("eipalloc"), c.region(), tags);
        return c.response().el("publicIp", a.publicIp()).el("domain", "vpc").el("allocationId", a.allocationId())
                .el("publicIpv4Pool", "amazon").el("networkBorderGroup", c.region()).finish();
    }

    String associate(Call c) {
        QueryParams p = c.params();
        String allocationId = allocationId(p, c.region());
        String instanceId = p.require("InstanceId");
        EmulatedInstance i = backend.find(instanceId).orElseThrow(() -> Ec2Error.client("InvalidInstanceID.NotFound",
                "The instance ID '" + instanceId + "' does not exist"));
        if (!i.zone.region().equals(c.region())) {
            throw Ec2Error.client("InvalidInstanceID.NotFound", "The instance ID '" + instanceId + "' does not exist");
        }
        InstanceState s = i.state();
        if (s != InstanceState.RUNNING && s != InstanceState.PENDING) {
            throw Ec2Error.client("IncorrectInstanceState", "The instance '" + instanceId + "' is not in a valid "
                    + "state for this operation (" + s.awsName() + ").");
        }
        String association = addresses.associate(allocationId, c.region(), i, p.bool("AllowReassociation"),
                backend.newId("eipassoc"));
        return c.response().el("return", true).el("associationId", association).finish();
    }

    String disassociate(Call c) {
        QueryParams p = c.params();
        String association = p.get("AssociationId").orElseGet(() -> addresses.byPublicIp(p.require("AssociationId"))
                .map(ElasticAddresses.View::associationId).orElse(null));
        addresses.disassociate(association, c.region());
        return c.response().el("return", true).finish();
    }

    String release(Call c) {
        addresses.release(allocationId(c.params(), c.region()), c.region());
        return c.response().el("return", true).finish();
    }

    String describe(Call c) {
        QueryParams p = c.params();
        Map<String, List<String>> filters = p.filters();
        for (String name : filters.keySet()) {
            if (!FILTERS.contains(name) && !name.startsWith("tag:")) {
                throw Ec2Error.invalidValue("filter", name, FILTERS);
            }
        }
        List<String> ids = p.list("AllocationId");
        List<String> ips = p.list("PublicIp");
        for (String id : ids) {
            addresses.require(id, c.region());
        }
        Xml x = c.response().open("addressesSet");
        for (ElasticAddresses.View a : addresses.all(c.region())) {
            if ((!ids.isEmpty() && !ids.contains(a.allocationId())) || (!ips.isEmpty() && !ips.contains(a.publicIp()))
                    || !matches(filters, a)) {
                continue;
            }
            x.open("item").el("publicIp", a.publicIp()).el("allocationId", a.allocationId()).el("domain", "vpc")
                    .el("instanceId", a.instanceId()).el("associationId", a.associationId())
                    .el("privateIpAddress", a.privateIp()).el("publicIpv4Pool", "amazon")
                    .el("networkBorderGroup", a.region());
            x.open("tagSet");
            a.tags().forEach((k, v) -> x.open("item").el("key", k).el("value", v).close());
            x.close().close();
        }
        return x.finish();
    }

    private static boolean matches(Map<String, List<String>> filters, ElasticAddresses.View a) {
        if (!Filters.matches(filters, "allocation-id", a.allocationId())
                || !Filters.matches(filters, "association-id", a.associationId())
                || !Filters.matches(filters, "instance-id", a.instanceId())
                || !Filters.matches(filters, "public-ip", a.publicIp())
                || !Filters.matches(filters, "domain", "vpc")
                || !Filters.matches(filters, "private-ip-address", a.privateIp())) {
            return false;
        }
        List<String> keys = filters.get("tag-key");
        if (keys != null && a.tags().keySet().stream().noneMatch(k -> Filters.matches(Map.of("k", keys), "k", k))) {
            return false;
        }
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            if (f.getKey().startsWith("tag:")
                    && !Filters.matches(filters, f.getKey(), a.tags().get(f.getKey().substring(4)))) {
                return false;
            }
        }
        return true;
    }

    /** AllocationId, or the deprecated PublicIp naming the address. */
    private String allocationId(QueryParams p, String region) {
        if (p.get("AllocationId").isPresent()) {
            return p.get("AllocationId").get();
        }
        String ip = p.get("PublicIp").orElseThrow(() -> Ec2Error.missing("AllocationId"));
        return addresses.byPublicIp(ip).filter(a -> a.region().equals(region))
                .map(ElasticAddresses.View::allocationId)
                .orElseThrow(() -> Ec2Error.client("InvalidAddress.NotFound", "Address " + ip + " not found."));
    }
}
