package dev.spotkeeper.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.aws.Ec2Clients;
import dev.spotkeeper.awsclient.AwsErrorTranslator;
import dev.spotkeeper.core.cloud.AddressPort;
import dev.spotkeeper.core.protocol.Tags;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * {@link AddressPort} on EC2's Elastic IPs (VPC addresses): one per workload, tagged {@code spotkeeper:workload} and
 * {@code spotkeeper:managed}, found again by those tags. On the local emulator the address also carries the tag
 * {@value #FORWARD_TAG}, where it is reachable on this machine; it names the port forwarded with
 * {@value #FORWARD_PORT_TAG}.
 */
public final class Ec2Addresses implements AddressPort {
    /** Set by the local emulator on each address: its loopback forward, {@code 127.0.0.1:PORT}. */
    static final String FORWARD_TAG = "spotkeeper:emulator-forward";
    /** Which instance port the emulator's forward reaches. */
    static final String FORWARD_PORT_TAG = "spotkeeper:forward-port";

    private final Ec2Clients clients;

    public Ec2Addresses(Ec2Clients clients) {
        this.clients = requireNonNull(clients, "clients is null");
    }

    @Override
    public StableAddress allocateOrFind(String region, String workload, int servicePort) {
        Optional<StableAddress> found = find(region, workload);
        if (found.isPresent()) {
            return found.get();
        }
        Ec2Client ec2 = clients.forRegion(region);
        String allocationId = call(region, "AllocateAddress", () -> ec2.allocateAddress(r -> r.domain(DomainType.VPC)
                .tagSpecifications(t -> t.resourceType(ResourceType.ELASTIC_IP).tags(
                        tag(Tags.WORKLOAD, workload), tag(Tags.MANAGED, "true"),
                        tag(FORWARD_PORT_TAG, Integer.toString(servicePort)))))
                .allocationId());
        // Two controllers racing both allocate: the oldest-sorting allocation is kept, the other released.
        List<StableAddress> all = list(region, workload);
        StableAddress kept = all.get(0);
        if (!kept.allocationId().equals(allocationId)) {
            all.stream().filter(a -> a.allocationId().equals(allocationId)).findFirst().ifPresent(this::release);
        }
        return kept;
    }

    @Override
    public Optional<StableAddress> find(String region, String workload) {
        List<StableAddress> all = list(region, workload);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private List<StableAddress> list(String region, String workload) {
        Ec2Client ec2 = clients.forRegion(region);
        List<Address> addresses = call(region, "DescribeAddresses", () -> ec2.describeAddresses(r -> r.filters(
                Filter.builder().name("tag:" + Tags.WORKLOAD).values(workload).build(),
                Filter.builder().name("tag:" + Tags.MANAGED).values("true").build())).addresses());
        return addresses.stream().map(a -> view(region, a)).sorted(Comparator.comparing(StableAddress::allocationId))
                .toList();
    }

    @Override
    public void associate(StableAddress address, String instanceId) {
        Ec2Client ec2 = clients.forRegion(address.region());
        call(address.region(), "AssociateAddress", () -> ec2.associateAddress(r -> r
                .allocationId(address.allocationId()).instanceId(instanceId).allowReassociation(true)));
    }

    @Override
    public void release(StableAddress address) {
        Ec2Client ec2 = clients.forRegion(address.region());
        List<Address> now;
        try {
            now = ec2.describeAddresses(r -> r.allocationIds(address.allocationId())).addresses();
        } catch (AwsServiceException e) {
            if ("InvalidAllocationID.NotFound".equals(Ec2Compute.errorCode(e))) {
                return;
            }
            throw translate(e, address.region(), "DescribeAddresses");
        } catch (SdkException e) {
            throw translate(e, address.region(), "DescribeAddresses");
        }
        for (Address a : now) {
            if (a.associationId() != null && !a.associationId().isEmpty()) {
                try {
                    ec2.disassociateAddress(r -> r.associationId(a.associationId()));
                } catch (AwsServiceException e) {
                    if (!"InvalidAssociationID.NotFound".equals(Ec2Compute.errorCode(e))) {
                        throw translate(e, address.region(), "DisassociateAddress");
                    }
                } catch (SdkException e) {
                    throw translate(e, address.region(), "DisassociateAddress");
                }
            }
        }
        try {
            ec2.releaseAddress(r -> r.allocationId(address.allocationId()));
        } catch (AwsServiceException e) {
            if (!"InvalidAllocationID.NotFound".equals(Ec2Compute.errorCode(e))) {
                throw translate(e, address.region(), "ReleaseAddress");
            }
        } catch (SdkException e) {
            throw translate(e, address.region(), "ReleaseAddress");
        }
    }

    private static StableAddress view(String region, Address a) {
        Optional<String> forward = a.tags().stream().filter(t -> FORWARD_TAG.equals(t.key())).map(Tag::value)
                .filter(v -> v != null && v.matches("[0-9.]+:\\d{1,5}")).findFirst();
        Optional<String> instance = Optional.ofNullable(a.instanceId()).filter(s -> !s.isEmpty());
        return new StableAddress(region, a.allocationId(), a.publicIp(), instance, forward);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private <T> T call(String region, String action, Supplier<T> body) {
        return AwsErrorTranslator.call("EC2", action, () -> clients.settings().ec2Endpoint(region), body);
    }

    private RuntimeException translate(SdkException e, String region, String action) {
        return AwsErrorTranslator.translate(e, "EC2", action, clients.settings().ec2Endpoint(region));
    }
}
