package dev.spotkeeper.testkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.cloud.AddressPort;
import dev.spotkeeper.core.cloud.AddressPort.StableAddress;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rules every {@link AddressPort} keeps; each test uses a workload name of its own. */
public abstract class AddressPortContract {
    private AddressPort addresses;
    private String workload;

    protected abstract AddressPort addresses();

    protected abstract String region();

    /** A live instance an address can be associated with; a new one at each call. */
    protected abstract String liveInstance();

    @BeforeEach
    void fresh() {
        addresses = addresses();
        workload = "addr-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void allocateOrFind_givesTheSameAddressAgain_andOtherWorkloadsNone() {
        StableAddress first = addresses.allocateOrFind(region(), workload, 3306);
        StableAddress again = addresses.allocateOrFind(region(), workload, 3306);

        assertThat(again.allocationId()).isEqualTo(first.allocationId());
        assertThat(again.publicIp()).isEqualTo(first.publicIp());
        assertThat(again.host()).isEqualTo(first.host());
        assertThat(again.port(3306)).isEqualTo(first.port(3306));
        assertThat(first.instanceId()).isEmpty();
        assertThat(addresses.find(region(), workload)).map(StableAddress::allocationId).hasValue(first.allocationId());
        assertThat(addresses.find(region(), workload + "-other")).isEmpty();
        addresses.release(first);
    }

    @Test
    void associate_movesTheAddress_keepingWhereClientsConnect() {
        StableAddress a = addresses.allocateOrFind(region(), workload, 3306);
        String one = liveInstance();
        String two = liveInstance();

        addresses.associate(a, one);
        StableAddress onOne = addresses.find(region(), workload).orElseThrow();
        addresses.associate(a, two);
        StableAddress onTwo = addresses.find(region(), workload).orElseThrow();

        assertThat(onOne.instanceId()).hasValue(one);
        assertThat(onTwo.instanceId()).hasValue(two);
        assertThat(onTwo.host()).isEqualTo(onOne.host());
        assertThat(onTwo.port(3306)).isEqualTo(onOne.port(3306));
        addresses.release(onTwo);
    }

    @Test
    void release_ofAnAssociatedAddress_disassociatesFirst_andIsSafeToRepeat() {
        StableAddress a = addresses.allocateOrFind(region(), workload, 3306);
        addresses.associate(a, liveInstance());

        addresses.release(a);
        addresses.release(a);

        assertThat(addresses.find(region(), workload)).isEmpty();
    }
}
