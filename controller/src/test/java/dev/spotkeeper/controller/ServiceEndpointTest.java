package dev.spotkeeper.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.cloud.AddressPort.StableAddress;
import dev.spotkeeper.testkit.cloud.InMemoryAddresses;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A service's stable address: on the primary once it serves, moved only after a verified hand-over, released at the end. */
class ServiceEndpointTest {
    private final Harness h = new Harness();
    private final InMemoryAddresses addresses = new InMemoryAddresses();
    private String primary;

    @BeforeEach
    void running() {
        h.controller.useAddresses(addresses);
        h.submit(ServiceReconcilerTest.service("appdb"));
        h.step();
        primary = h.head("appdb").instanceId();
    }

    private StableAddress address() {
        return addresses.find("us-east-1", "appdb").orElseThrow();
    }

    @Test
    void theAddress_isAllocatedAndAssociated_onceThePrimaryServes() {
        assertThat(addresses.find("us-east-1", "appdb")).isEmpty();

        h.send(h.report(primary, "appdb", "started", Map.of()));
        h.step();

        assertThat(address().instanceId()).hasValue(primary);
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.ENDPOINT
                && e.message().contains("now points to " + primary));
    }

    @Test
    void aHandOver_movesTheAddress_onlyWhenTheReplacementHasVerifiedAndStarted() {
        h.send(h.report(primary, "appdb", "started", Map.of()));
        h.step();
        String ip = address().publicIp();

        h.send(h.warning(primary));
        h.step();
        String next = h.instance(primary).replacedBy();
        h.send(h.report(primary, "appdb", "evacuated", Map.of("checkpoint", "gtid:0-1-42")));
        h.step();
        assertThat(address().instanceId()).hasValue(primary);

        h.send(h.report(next, "appdb", "started", Map.of()));
        h.step();

        assertThat(address().instanceId()).hasValue(next);
        assertThat(address().publicIp()).isEqualTo(ip);
    }

    @Test
    void anUnreachableAddressService_isReportedOnce_theHandOverGoesOn_andTheAddressFollowsWhenBack() {
        addresses.broken(true);
        h.send(h.report(primary, "appdb", "started", Map.of()));
        h.step();
        h.step();
        h.send(h.warning(primary));
        h.step();
        String next = h.instance(primary).replacedBy();
        h.send(h.report(primary, "appdb", "evacuated", Map.of("checkpoint", "gtid:0-1-42")));
        h.step();
        h.send(h.report(next, "appdb", "started", Map.of()));
        h.step();

        assertThat(h.instance(next).state()).isEqualTo(dev.spotkeeper.core.lifecycle.InstanceState.RUNNING);
        assertThat(h.events.stream().filter(e -> e.kind() == ControllerEvent.Kind.ERROR
                && e.message().startsWith("endpoint: EC2 is unreachable"))).hasSize(1);

        addresses.broken(false);
        h.step();
        assertThat(address().instanceId()).hasValue(next);
    }

    @Test
    void cancelling_theService_releasesItsAddress() {
        h.send(h.report(primary, "appdb", "started", Map.of()));
        h.step();
        assertThat(addresses.find("us-east-1", "appdb")).isPresent();

        h.controller.cancel("appdb");
        h.step();

        assertThat(addresses.find("us-east-1", "appdb")).isEmpty();
        assertThat(h.events).anyMatch(e -> e.kind() == ControllerEvent.Kind.ENDPOINT && e.message().contains("released"));
    }

    @Test
    void aReleaseThatFails_whenTheServiceEnds_isRetriedByLaterPasses_untilTheAddressIsGone() {
        h.send(h.report(primary, "appdb", "started", Map.of()));
        h.step();
        assertThat(addresses.find("us-east-1", "appdb")).isPresent();
        addresses.broken(true);

        h.controller.cancel("appdb");
        for (int i = 0; i < 5; i++) {
            h.step();
        }
        assertThat(h.instance(primary).state().isTerminal()).isTrue();
        addresses.broken(false);
        assertThat(addresses.find("us-east-1", "appdb")).as("still allocated while EC2 was unreachable").isPresent();
        h.step();

        assertThat(addresses.find("us-east-1", "appdb")).isEmpty();
        assertThat(h.events.stream().filter(e -> e.kind() == ControllerEvent.Kind.ERROR
                && e.message().contains("releasing it again at the next pass"))).hasSize(1);
        assertThat(h.events.stream().filter(e -> e.kind() == ControllerEvent.Kind.ENDPOINT
                && e.message().contains("released"))).hasSize(1);
        h.step();
        h.step();
        assertThat(h.events.stream().filter(e -> e.kind() == ControllerEvent.Kind.ENDPOINT
                && e.message().contains("released"))).as("released once, then nothing more to do").hasSize(1);
    }
}
