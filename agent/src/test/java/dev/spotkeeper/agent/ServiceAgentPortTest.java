package dev.spotkeeper.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.agent.imds.ImdsClient;
import dev.spotkeeper.agent.imds.LoopbackImds;
import dev.spotkeeper.core.workload.AgentSpec;
import dev.spotkeeper.core.workload.DatabaseSpec;
import dev.spotkeeper.core.workload.ServiceExtension;
import dev.spotkeeper.core.workload.WorkloadSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which port and address a service's server listens on: the ones given, else the instance's host port for 3306 on
 * 127.0.0.1 where IMDS has one (the emulator), else the instance's private address and 3306 (EC2).
 */
class ServiceAgentPortTest {
    private final Clock clock = Clock.systemUTC();
    private LoopbackImds imds;
    private ImdsClient client;

    @BeforeEach
    void start() throws Exception {
        imds = new LoopbackImds(clock);
        client = new ImdsClient(imds.endpoint(), clock, Duration.ofMinutes(5));
    }

    @AfterEach
    void stop() {
        imds.close();
    }

    private static ServiceAgent.Settings settings(boolean watchImds, int port) {
        return settings(watchImds, port, "127.0.0.1");
    }

    private static ServiceAgent.Settings settings(boolean watchImds, int port, String bind) {
        AgentSpec spec = new AgentSpec("appdb", 1, new WorkloadSpec.Buckets("", "", "s3://ops/svc"),
                new ServiceExtension(new DatabaseSpec(DatabaseSpec.Engine.MARIADB, "10.11", "appdb", "",
                        new DatabaseSpec.Backup(Duration.ofHours(6), Duration.ofSeconds(1)))));
        return new ServiceAgent.Settings(spec, Path.of("/tmp/unused"), Optional.empty(), Optional.empty(), watchImds,
                port, bind);
    }

    @Test
    void noPortGiven_onTheEmulator_takesTheInstancesHostPortFor3306() {
        imds.metadata.put("spotkeeper/host-port/3306", "41873");

        assertThat(ServiceAgent.onInstancePort(settings(true, 0), client).port()).isEqualTo(41873);
    }

    @Test
    void aGivenPort_orNoSuchPath_orNoImds_keepsThePortAsItWas() {
        assertThat(ServiceAgent.onInstancePort(settings(true, 0), client).port()).isZero();
        imds.metadata.put("spotkeeper/host-port/3306", "41873");
        assertThat(ServiceAgent.onInstancePort(settings(true, 3306), client).port()).isEqualTo(3306);
        assertThat(ServiceAgent.onInstancePort(settings(false, 0), client).port()).isZero();
        imds.metadata.put("spotkeeper/host-port/3306", "not-a-port");
        assertThat(ServiceAgent.onInstancePort(settings(true, 0), client).port()).isZero();
    }

    @Test
    void nothingGiven_onEc2_listensOnThePrivateAddressAndPort3306_whereTheElasticIpArrives() {
        imds.metadata.put("local-ipv4", "10.0.1.23");

        ServiceAgent.Settings chosen = ServiceAgent.onInstancePort(settings(true, 0, ""), client);

        assertThat(chosen.bindAddress()).isEqualTo("10.0.1.23");
        assertThat(chosen.port()).isEqualTo(3306);
    }

    @Test
    void nothingGiven_onTheEmulator_staysOnLoopback_evenThoughItsImdsHasAPrivateAddress() {
        imds.metadata.put("local-ipv4", "10.0.1.23");
        imds.metadata.put("spotkeeper/host-port/3306", "41873");

        ServiceAgent.Settings chosen = ServiceAgent.onInstancePort(settings(true, 0, ""), client);

        assertThat(chosen.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(chosen.port()).isEqualTo(41873);
    }

    @Test
    void givenAddressOrPort_onEc2_areKept_andWithoutImdsItIsLoopback() {
        imds.metadata.put("local-ipv4", "10.0.1.23");

        ServiceAgent.Settings bound = ServiceAgent.onInstancePort(settings(true, 0, "0.0.0.0"), client);
        assertThat(bound.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(bound.port()).isEqualTo(3306);
        ServiceAgent.Settings ported = ServiceAgent.onInstancePort(settings(true, 13306, ""), client);
        assertThat(ported.bindAddress()).isEqualTo("10.0.1.23");
        assertThat(ported.port()).isEqualTo(13306);
        ServiceAgent.Settings off = ServiceAgent.onInstancePort(settings(false, 0, ""), client);
        assertThat(off.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(off.port()).isZero();
        imds.metadata.put("local-ipv4", "not-an-address");
        assertThat(ServiceAgent.onInstancePort(settings(true, 0, ""), client).bindAddress()).isEqualTo("127.0.0.1");
    }
}
