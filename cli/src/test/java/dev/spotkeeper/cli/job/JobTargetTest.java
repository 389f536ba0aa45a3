package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.local.Connection;
import dev.spotkeeper.cli.local.LocalHome;
import dev.spotkeeper.cli.local.PlaneLock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where the job commands act, decided from the options, the environment and the profiles. */
class JobTargetTest {
    private static final String PLANE_KEY = "AKIAPLANE0000TEST";

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> profiles = new HashMap<>();
    private PlaneLock lock;

    @AfterEach
    void release() {
        if (lock != null) {
            lock.close();
        }
    }

    private LocalHome planeRunning() {
        LocalHome home = new LocalHome(dir.resolve("home"));
        home.ensure();
        // This very process, holding the home's lock as a plane does, stands for the plane.
        lock = PlaneLock.tryTake(home).orElseThrow();
        ProcessHandle self = ProcessHandle.current();
        new Connection("http://127.0.0.1:45931", "us-east-1", PLANE_KEY, "generated-" + System.nanoTime(), "q", "t",
                self.pid(), self.info().startInstant().orElseThrow(), Instant.parse("2026-01-01T00:00:00Z"))
                .write(home.connectionFile());
        return home;
    }

    private JobTarget resolve(LocalHome home, String... args) {
        DeploymentOptions options = new DeploymentOptions();
        new CommandLine(options).parseArgs(args);
        return JobTarget.resolve(options, new JobTarget.Environment(env::get,
                p -> Optional.ofNullable(profiles.get(p))), home);
    }

    @Test
    void noAwsSettings_meansThePlane_orNoneWhenNoneRuns() {
        assertThat(resolve(planeRunning())).isInstanceOf(JobTarget.Plane.class);
        assertThat(resolve(new LocalHome(dir.resolve("empty")))).isInstanceOf(JobTarget.NoPlane.class);
    }

    @Test
    void exportedEndpointOfTheRunningPlane_meansThePlane_withKeysExportedToo() {
        LocalHome home = planeRunning();
        env.put("AWS_ENDPOINT_URL", "http://localhost:45931/");
        env.put("AWS_ACCESS_KEY_ID", PLANE_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", "x");

        JobTarget t = resolve(home);

        assertThat(t).isInstanceOf(JobTarget.Plane.class);
        assertThat(((JobTarget.Plane) t).why()).contains("http://localhost:45931/ is the local control plane's");
    }

    @Test
    void thePlanesOwnKeyExported_withoutAnEndpoint_meansThePlane() {
        LocalHome home = planeRunning();
        env.put("AWS_ACCESS_KEY_ID", PLANE_KEY);

        assertThat(resolve(home)).isInstanceOf(JobTarget.Plane.class);
    }

    @Test
    void otherKeys_meanAws_evenWhileAPlaneRuns() {
        LocalHome home = planeRunning();
        env.put("AWS_ACCESS_KEY_ID", "AKIAREALACCOUNT1234");

        JobTarget t = resolve(home, "--region", "eu-west-1");

        assertThat(t).isEqualTo(new JobTarget.Aws("access key ****1234", "eu-west-1", Optional.empty()));
        assertThat(t.describe()).isEqualTo("AWS (access key ****1234, eu-west-1)").doesNotContain("AKIAREAL");
    }

    @Test
    void aProfileWhoseEndpointIsThePlanes_meansThePlane_andAnotherProfileAws() {
        LocalHome home = planeRunning();
        profiles.put("spotkeeper-local", "http://127.0.0.1:45931");

        assertThat(resolve(home, "--profile", "spotkeeper-local")).isInstanceOf(JobTarget.Plane.class);
        assertThat(resolve(home, "--profile", "prod")).isEqualTo(new JobTarget.Aws("profile prod", "us-east-1",
                Optional.empty()));
        env.put("AWS_PROFILE", "spotkeeper-local");
        assertThat(resolve(home)).isInstanceOf(JobTarget.Plane.class);
    }

    @Test
    void anEndpointThatIsNoRunningPlane_meansThatEndpoint() {
        LocalHome home = planeRunning();
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
        env.put("AWS_ACCESS_KEY_ID", PLANE_KEY);

        assertThat(resolve(home).describe()).isEqualTo("AWS (access key ****TEST, us-east-1, endpoint"
                + " http://127.0.0.1:4566)");
    }

    @Test
    void lastTarget_saysSoWhenACommandActsElsewhereThanTheLastOne() {
        LocalHome home = planeRunning();
        JobTarget plane = resolve(home);
        JobTarget aws = new JobTarget.Aws("profile prod", "us-east-1", Optional.empty());

        assertThat(LastTarget.switchTo(home, plane)).isEmpty();
        assertThat(LastTarget.switchTo(home, plane)).isEmpty();
        assertThat(LastTarget.switchTo(home, aws)).contains("note: this acts on AWS (profile prod, us-east-1); the last"
                + " spotkeeper command acted on the local control plane in " + home.dir());
        assertThat(LastTarget.switchTo(home, aws)).isEmpty();
        assertThat(LastTarget.switchTo(home, plane)).hasValueSatisfying(line -> assertThat(line)
                .startsWith("note: this acts on the local control plane in " + home.dir()));
    }
}
