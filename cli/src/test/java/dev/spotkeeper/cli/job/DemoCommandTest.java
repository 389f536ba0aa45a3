package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.spotkeeper.cli.Main;
import dev.spotkeeper.core.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The demo end to end: emulator, controller and the real agent (started from this class path) together. */
class DemoCommandTest {
    @Test
    void demo_interruptsMidway_evacuatesRestoresAndFinishes() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("demo", "--steps", "14", "--interrupt-at", "5");

        String text = out.toString();
        assertThat(code).as(text + err).isZero();
        assertThat(text).contains(">>> interrupting").contains("AT_RISK demo-train").contains("EVACUATED demo-train")
                .contains("takes over").contains("SUCCEEDED demo-train").contains("demo-train succeeded on 2 instances")
                .contains("saved");
        assertThat(text).containsPattern("RESTORED demo-train i-\\w+: restored ckpt-\\d{10}-i-");
    }

    @Test
    void demo_givenAWebhook_postsItsLaunchWarningMoveAndCompletion() throws Exception {
        List<Map<String, Object>> posted = new CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", x -> {
            posted.add(Json.parseObject(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        hook.start();
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();

            int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("demo",
                    "--steps", "14", "--interrupt-at", "5", "--webhook",
                    "http://127.0.0.1:" + hook.getAddress().getPort() + "/demo-hook");

            assertThat(code).as(out.toString() + err).isZero();
            // FIS's interruption comes with a rebalance recommendation first, as on AWS: that is the warning told.
            assertThat(posted).extracting(m -> (String) m.get("event")).containsSubsequence("launched", "rebalance",
                    "launched", "evacuated", "restored", "completed");
            assertThat(posted).extracting(m -> (String) m.get("event")).filteredOn("launched"::equals).hasSize(2);
            assertThat(posted).allMatch(m -> m.get("workload").equals("demo-train"));
            assertThat(posted).filteredOn(m -> m.get("event").equals("completed")).singleElement()
                    .satisfies(m -> assertThat((String) m.get("text")).contains("Saved against all on-demand"));
            assertThat(err.toString()).doesNotContain("keeps failing");
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void demo_refusesAnInterruptionAfterTheEnd() {
        StringWriter err = new StringWriter();

        int code = Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute("demo", "--steps", "5", "--interrupt-at", "9");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--interrupt-at between 1 and steps - 1");
    }
}
