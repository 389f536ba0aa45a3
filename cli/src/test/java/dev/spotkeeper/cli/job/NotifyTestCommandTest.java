package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.spotkeeper.core.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code spotkeeper notify test}: one test message to each sink, and what each answered. */
class NotifyTestCommandTest {
    @TempDir
    Path dir;
    HttpServer server;
    final List<String> paths = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            paths.add(x.getRequestURI().getPath());
            bodies.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            boolean gone = x.getRequestURI().getPath().startsWith("/gone");
            byte[] answer = (gone ? "no_service" : "ok").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(gone ? 404 : 200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        NotifyTestCommand command = new NotifyTestCommand();
        command.environment = env::get;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void notifyTest_sendsToEachSink_andSaysWhatEachAnswered_withoutTheirUrls() throws Exception {
        Path file = dir.resolve("train.yaml");
        Files.writeString(file, """
                name: train
                run: python train.py
                notify:
                  slack: {webhookUrl: env:HOOK}
                  webhook: {url: env:OPS}
                  language: ja
                """);

        Run r = run(Map.of("HOOK", url("/gone/T0/B0/SECRETPART"), "OPS", url("/ops")), "--file", file.toString());

        assertThat(r.out()).contains("Slack webhook (127.0.0.1): refused (HTTP 404: no_service)\n")
                .contains("webhook (127.0.0.1): delivered (HTTP 200: ok)\n")
                .contains("1 of 2 sink(s) did not take it").doesNotContain("SECRETPART");
        assertThat(r.code()).as("a sink refused: the user must fix it").isEqualTo(2);
        assertThat(paths).containsExactlyInAnyOrder("/gone/T0/B0/SECRETPART", "/ops");
        Map<String, Object> hook = Json.parseObject(bodies.get(paths.indexOf("/ops")));
        assertThat(hook).containsEntry("event", "test").containsEntry("title", "train: テストメッセージ")
                .containsEntry("language", "ja");
    }

    @Test
    void notifyTest_everySinkTakesIt_exitsZero() throws Exception {
        Path file = dir.resolve("train.yaml");
        Files.writeString(file, """
                name: train
                run: python train.py
                notify:
                  webhook: {url: env:OPS}
                """);

        Run r = run(Map.of("OPS", url("/ops")), "-f", file.toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("webhook (127.0.0.1): delivered (HTTP 200: ok)\nevery sink took the test message"
                + " (id train-test-");
    }

    @Test
    void notifyTest_aWorkloadWithoutSinks_isRefusedSayingWhatToAdd() throws Exception {
        Path file = dir.resolve("train.yaml");
        Files.writeString(file, "name: train\nrun: python train.py\n");

        Run r = run(Map.of(), "-f", file.toString());

        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("names no notification sink: add notify:");
    }
}
