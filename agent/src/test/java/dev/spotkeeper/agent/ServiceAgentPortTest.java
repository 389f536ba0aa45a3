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

/** Which port a service's server listens on: the one given, else the instance's host port for 3306 where IMDS has one. */
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
        AgentSpec spec = new AgentSpec("appdb", 1, new WorkloadSpec.Buckets("", "", "s3://ops/svc"),
                new ServiceExtension(new DatabaseSpec(DatabaseSpec.Engine.MARIADB, "10.11", "appdb", "",
                        new DatabaseSpec.Backup(Duration.ofHours(6), Duration.ofSeconds(1)))));
        return new ServiceAgent.Settings(spec, Path.of("/tmp/unused"), Optional.empty(), Optional.empty(), watchImds,
                port, "127.0.0.1");
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
}
