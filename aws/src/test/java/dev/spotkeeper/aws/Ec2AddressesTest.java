package dev.spotkeeper.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.cloud.AddressPort;
import dev.spotkeeper.core.cloud.CloudInstance;
import dev.spotkeeper.core.cloud.LaunchRequest;
import dev.spotkeeper.testkit.cloud.AddressPortContract;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code Ec2Addresses} through {@link AwsPorts} against the emulator's Elastic IPs. */
class Ec2AddressesTest extends AddressPortContract {
    private static EmulatedAws aws;

    @BeforeAll
    static void start() throws Exception {
        aws = EmulatedAws.start(64);
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    @Override
    protected AddressPort addresses() {
        return aws.ports.addresses();
    }

    @Override
    protected String region() {
        return EmulatedAws.REGION;
    }

    @Override
    protected String liveInstance() {
        String token = "addr-" + UUID.randomUUID();
        CloudInstance i = aws.ports.compute().launch(new LaunchRequest(token, EmulatedAws.REGION, "us-east-1a",
                "m5.large", false, Optional.empty(), "ami-0e5f0a1b2c3d40001", "#!/bin/sh\nsleep 300\n",
                Map.of("spotkeeper:workload", "addresses")));
        return i.instanceId();
    }

    @Test
    void onTheEmulator_anAddressIsReachedAtItsLoopbackForward_notItsPublicIp() {
        AddressPort.StableAddress a = addresses().allocateOrFind(region(), "addr-forward", 3306);

        assertThat(a.publicIp()).startsWith("198.51.100.");
        assertThat(a.forward()).isPresent();
        assertThat(a.host()).isEqualTo("127.0.0.1");
        assertThat(a.port(3306)).isEqualTo(Integer.parseInt(a.forward().orElseThrow().substring("127.0.0.1:".length())));
        addresses().release(a);
    }
}
