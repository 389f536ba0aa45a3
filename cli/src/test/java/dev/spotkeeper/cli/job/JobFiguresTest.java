package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures the job commands show agree with each other: spend, instances cancelled, columns. */
class JobFiguresTest {
    @TempDir
    Path dir;

    private InMemoryBackend backend;

    @AfterEach
    void uninstall() {
        JobBackends.uninstall();
    }

    private InMemoryBackend install() {
        backend = new InMemoryBackend(false);
        JobBackends.install(o -> backend);
        return backend;
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        assertThat(code).as(String.join(" ", args) + ": " + err).isZero();
        return out.toString();
    }

    private Path spec(String name) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, "name: " + name + "\nrun: python train.py\ncheckpoint:\n  dir: /tmp/ckpt\n");
        return f;
    }

    /** Launches the workload: one pass of a followed run, which stops following at once. */
    private void launch(String name) throws IOException {
        run("run", spec(name).toString(), "--timeout", "PT0S");
    }

    private static double dollars(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void cost_ofARunningJob_showsWhatListShows_includingTheHourNotBilledYet() throws IOException {
        install();
        launch("train");
        backend.clock.advance(Duration.ofMinutes(40));

        String list = run("list");
        String cost = run("cost", "train");

        double listed = dollars(Pattern.compile("train +running .*?\\$(\\d+\\.\\d+)"), list);
        double total = dollars(Pattern.compile("total +\\$(\\d+\\.\\d+)"), cost);
        assertThat(listed).isGreaterThan(0);
        assertThat(total).isEqualTo(listed);
        assertThat(dollars(Pattern.compile("spot +\\$(\\d+\\.\\d+)"), cost)).isEqualTo(listed);
        assertThat(cost).contains("not billed yet");
    }

    @Test
    void cost_showsAServicesElasticIp_onALineOfItsOwn_inTheTotal() throws IOException {
        install();
        launch("train");
        java.time.Instant at = backend.clock.instant();
        double rate = dev.spotkeeper.core.ledger.DataPrices.PUBLIC_IPV4_PER_HOUR;
        backend.store().appendLedger(dev.spotkeeper.core.ledger.LedgerEntry.elasticIp("train", at, at, rate,
                "holding Elastic IP 198.51.100.10"));
        backend.store().appendLedger(dev.spotkeeper.core.ledger.LedgerEntry.elasticIp("train", at,
                at.plus(Duration.ofHours(2)), rate, "Elastic IP 2 h"));
        backend.clock.advance(Duration.ofHours(2));

        String cost = run("cost", "train");

        assertThat(dollars(Pattern.compile("elastic-ip +\\$(\\d+\\.\\d+)"), cost)).isEqualTo(0.01);
        double spot = dollars(Pattern.compile("spot +\\$(\\d+\\.\\d+)"), cost);
        assertThat(dollars(Pattern.compile("total +\\$(\\d+\\.\\d+)"), cost))
                .isCloseTo(spot + 0.01, org.assertj.core.api.Assertions.within(0.00011));
    }

    @Test
    void cancel_countsOnlyTheInstancesItTerminated() throws IOException {
        install();
        launch("train");
        String first = backend.compute.alive().get(0).instanceId();
        backend.compute.terminate("us-east-1", first);
        backend.clock.advance(Duration.ofMinutes(5));
        // The next pass sees the first instance gone and launches a replacement: two records, one of them live.
        run("run", spec("other").toString(), "--timeout", "PT0S");
        assertThat(backend.store.instances("train")).hasSize(2);

        String cancelled = run("cancel", "train");

        assertThat(cancelled).contains("cancelled train; 1 instance(s) terminated");
    }

    @Test
    void list_alignsItsColumns_whateverTheNamesLengths() throws IOException {
        install();
        launch("a");
        launch("a-much-longer-name");

        List<String> lines = run("list").lines().toList();

        assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
        assertThat(lines.get(0)).startsWith("name").contains("status").contains("progress").contains("spent");
        int column = lines.get(0).indexOf("status");
        assertThat(lines.subList(2, lines.size())).allSatisfy(l -> assertThat(l.indexOf("running")).isEqualTo(column));
    }
}
