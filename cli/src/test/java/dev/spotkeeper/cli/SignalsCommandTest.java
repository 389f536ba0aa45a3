package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.core.market.io.MarketFile;
import dev.spotkeeper.core.market.io.ShippedMarket;
import dev.spotkeeper.testkit.LoopbackFileServer;
import dev.spotkeeper.testkit.MutableClock;
import dev.spotkeeper.testkit.ec2.FakeEc2Endpoint;
import dev.spotkeeper.testkit.ec2.FakeEc2Endpoint.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SignalsCommandTest {
    private static final List<String> CREDENTIAL_PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey",
            "aws.sharedCredentialsFile", "aws.configFile", "aws.disableEc2Metadata");

    @TempDir
    Path dir;
    private FakeEc2Endpoint ec2;
    private LoopbackFileServer advisor;
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws IOException {
        ec2 = FakeEc2Endpoint.start();
        ec2.zone("us-east-1", "us-east-1a", "use1-az4").zone("us-east-1", "us-east-1b", "use1-az6");
        ec2.score("use1-az4", 8).score("use1-az6", 4);
        for (String type : List.of("m5.large", "m5a.large", "m6i.large", "c5.large")) {
            ec2.price("us-east-1", "us-east-1a", type, "0.0400", Instant.parse("2026-02-28T00:00:00Z"));
            ec2.price("us-east-1", "us-east-1b", type, "0.0350", Instant.parse("2026-02-28T00:00:00Z"));
        }
        try (InputStream in = getClass().getResourceAsStream("/dev/spotkeeper/core/market/data/" + ShippedMarket.SPOT_ADVISOR)) {
            advisor = LoopbackFileServer.serving("/spot-advisor-data.json", "application/json", in.readAllBytes());
        }
        // The standard chain reads these first; generated per run. IMDS stays off so nothing leaves 127.0.0.1.
        System.setProperty("aws.accessKeyId", "AKIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase());
        System.setProperty("aws.secretAccessKey", UUID.randomUUID().toString());
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    @AfterEach
    void tearDown() {
        CREDENTIAL_PROPERTIES.forEach(System::clearProperty);
        ec2.close();
        advisor.close();
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        CommandLine signals = cl.getSubcommands().get("signals");
        ((SignalsRefreshCommand) signals.getSubcommands().get("refresh").getCommand()).clock = clock;
        ((SignalsShowCommand) signals.getSubcommands().get("show").getCommand()).clock = clock;
        return cl.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private String[] refresh(String endpoint, String... more) {
        List<String> args = new ArrayList<>(List.of("signals", "refresh", "--regions", "us-east-1",
                "--types", "m5.large,m5a.large,m6i.large,c5.large", "--endpoint-url", endpoint,
                "--advisor-url", advisor.uri().toString(), "--store", dir.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void refresh_againstFakeEc2_storesASnapshotThatAdviseReads() {
        int code = run(refresh(ec2.uri().toString()));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("stored 8 pools (1 region, 4 types)").contains("placement scores: 8 of 8 pools (1 request, 0 answered from the 10-minute cache)");
        Path latest = dir.resolve("latest.json");
        MarketSnapshot stored = MarketFile.read(latest, ShippedMarket.catalog());
        assertThat(stored.time()).isEqualTo(clock.instant());
        assertThat(stored.pools()).filteredOn(p -> p.pool().azName().equals("us-east-1a"))
                .allSatisfy(p -> assertThat(p.placementScore()).isEqualTo(8));
        assertThat(ec2.received(FakeEc2Endpoint.SCORES)).singleElement().satisfies(r -> {
            assertThat(r.list("InstanceType")).hasSize(4);
            assertThat(r.params()).containsEntry("SingleAvailabilityZone", "true");
        });

        StringWriter adviseOut = new StringWriter();
        int advised = Main.commandLine().setOut(new PrintWriter(adviseOut)).setErr(new PrintWriter(err))
                .execute("advise", "--market", latest.toString(), "--regions", "us-east-1", "--top", "3");
        assertThat(advised).as(err.toString()).isZero();
        assertThat(adviseOut.toString()).contains("8 of 8 pools meet the requirements").contains("us-east-1b/");
    }

    @Test
    void refresh_twiceWithinTenMinutes_asksForPlacementScoresOnce() {
        assertThat(run(refresh(ec2.uri().toString()))).isZero();
        clock.advance(Duration.ofMinutes(9));
        out.getBuffer().setLength(0);

        assertThat(run(refresh(ec2.uri().toString()))).isZero();
        assertThat(out.toString()).contains("(1 request, 1 answered from the 10-minute cache)");
        assertThat(ec2.calls(FakeEc2Endpoint.SCORES)).isEqualTo(1);
        assertThat(ec2.calls(FakeEc2Endpoint.PRICES)).isEqualTo(2);

        clock.advance(Duration.ofMinutes(1));
        assertThat(run(refresh(ec2.uri().toString()))).isZero();
        assertThat(ec2.calls(FakeEc2Endpoint.SCORES)).isEqualTo(2);
    }

    @Test
    void refresh_whenTheEndpointIsDown_printsOneLineAndLeavesTheSnapshotUntouched() throws Exception {
        assertThat(run(refresh(ec2.uri().toString()))).isZero();
        byte[] before = Files.readAllBytes(dir.resolve("latest.json"));
        String down;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            down = "http://127.0.0.1:" + s.getLocalPort();
        }
        clock.advance(Duration.ofHours(1));
        err.getBuffer().setLength(0);

        int code = run(refresh(down));

        assertThat(code).isEqualTo(4);
        String message = err.toString().strip();
        assertThat(message).startsWith("error: market signals not refreshed: spot prices (us-east-1): cannot reach EC2 at " + down)
                .contains("kept the last snapshot (2026-03-01T10:00:00Z").doesNotContain("\n").doesNotContain("Exception:");
        assertThat(Files.readAllBytes(dir.resolve("latest.json"))).isEqualTo(before);
    }

    @Test
    void refresh_withoutCredentials_saysHowToConfigureThem() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty-credentials"));
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        System.setProperty("aws.sharedCredentialsFile", empty.toString());
        System.setProperty("aws.configFile", empty.toString());

        int code = run(refresh(ec2.uri().toString(), "--profile", "nobody"));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("error: market signals not refreshed:").contains("aws configure")
                .contains("--profile").contains("no snapshot stored").doesNotContain("\n");
        assertThat(ec2.calls(FakeEc2Endpoint.PRICES)).isZero();
        assertThat(dir.resolve("latest.json")).doesNotExist();
    }

    @Test
    void refresh_withAProfile_signsWithThatProfilesKeys() throws Exception {
        String key = "AKIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        Path credentials = Files.writeString(dir.resolve("credentials"),
                "[dev]\naws_access_key_id = " + key + "\naws_secret_access_key = " + UUID.randomUUID() + "\n");
        Path config = Files.writeString(dir.resolve("config"), "");
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", config.toString());

        int code = run(refresh(ec2.uri().toString(), "--profile", "dev"));

        assertThat(code).as(err.toString()).isZero();
        assertThat(ec2.received(FakeEc2Endpoint.PRICES)).isNotEmpty();
        assertThat(ec2.signedWith(key)).isTrue();
    }

    @Test
    void refresh_whenScoresAreDenied_storesUnknownScoresAndWarns() {
        ec2.mode(FakeEc2Endpoint.SCORES, Mode.UNAUTHORIZED);

        int code = run(refresh(ec2.uri().toString()));

        assertThat(code).isZero();
        assertThat(out.toString()).contains("placement scores: 0 of 8 pools");
        assertThat(err.toString()).contains("warning: placement scores").contains("ec2:GetSpotPlacementScores");
        MarketSnapshot stored = MarketFile.read(dir.resolve("latest.json"), ShippedMarket.catalog());
        assertThat(stored.pools()).allSatisfy(p -> assertThat(p.hasPlacementScore()).isFalse());
        assertThat(stored.source()).contains("placement score unknown for 8 of 8 pools");
    }

    @Test
    void show_describesTheLatestSnapshot() {
        assertThat(run(refresh(ec2.uri().toString()))).isZero();
        clock.advance(Duration.ofMinutes(75));
        out.getBuffer().setLength(0);

        int code = run("signals", "show", "--store", dir.toString());

        assertThat(code).isZero();
        assertThat(out.toString()).contains("taken:            2026-03-01T10:00:00Z (1 h 15 min ago)")
                .contains(ec2.uri().toString())
                .contains("pools:            8 in 1 region (us-east-1), 4 types (c5.large, m5.large, m5a.large, m6i.large)")
                .contains("placement scores: 8 of 8 pools");
    }

    @Test
    void show_withoutASnapshot_saysToRefreshFirst() {
        int code = run("signals", "show", "--store", dir.resolve("nothing").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("no market snapshot").contains("spotkeeper signals refresh");
    }

    @Test
    void refresh_withAnEndpointWithoutScheme_saysWhatItShouldLookLike() {
        int code = run("signals", "refresh", "--endpoint-url", "localhost:4566", "--store", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("error: --endpoint-url must be an http:// or https:// URL such as "
                + "http://127.0.0.1:4566, was 'localhost:4566'");
    }

    @Test
    void refresh_withAMisspelledRegion_suggestsOne() {
        int code = run("signals", "refresh", "--regions", "us-east1", "--store", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'us-east1' is not a region name").contains("us-east-1");
        assertThat(ec2.calls(FakeEc2Endpoint.PRICES)).isZero();
    }
}
