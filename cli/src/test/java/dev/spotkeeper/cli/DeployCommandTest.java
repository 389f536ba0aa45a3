package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.deploy.PlaneStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spotkeeper deploy --synth-only}: the stack's template and assets written offline. */
class DeployCommandTest {
    @TempDir
    Path dir;

    @Test
    void synthOnly_writesTheTemplate_andTheFunctionAndAgentJarsAsItsAssets() throws Exception {
        byte[] code = "the functions' code".getBytes();
        byte[] agentCode = "the agent's code".getBytes();
        Path jar = Files.write(dir.resolve("function.jar"), code);
        Path agent = Files.write(dir.resolve("agent.jar"), agentCode);
        Path out = dir.resolve("out");

        CliRun run = CliRun.of("deploy", "--synth-only", "--out", out.toString(), "--function-jar", jar.toString(),
                "--agent-jar", agent.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        Path template = out.resolve("spotkeeper.template.json");
        assertThat(run.out()).contains("template: " + template);
        Map<String, Object> json = Json.parseObject(Files.readString(template));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) (Map<?, ?>) json.get("Resources");
        assertThat(resources.values()).extracting(r -> r.get("Type")).contains("AWS::DynamoDB::Table",
                "AWS::SQS::Queue", "AWS::Events::Rule", "AWS::Lambda::Function", "AWS::EC2::LaunchTemplate");
        List<Path> assets;
        try (Stream<Path> files = Files.list(out)) {
            assets = files.filter(p -> p.getFileName().toString().startsWith("asset.")).toList();
        }
        assertThat(assets).hasSize(2).allSatisfy(a -> assertThat(run.out()).contains("asset:    " + a));
        List<String> contents = new java.util.ArrayList<>();
        for (Path a : assets) {
            contents.add(Files.readString(a));
        }
        assertThat(contents).containsExactlyInAnyOrder(new String(code), new String(agentCode));
    }

    @Test
    void theHandlersTheStackNames_areTheFunctionJarsLambdaHandlers() throws Exception {
        for (String handler : List.of(PlaneStack.EVENTS_HANDLER, PlaneStack.RECONCILE_HANDLER)) {
            String[] parts = handler.split("::");
            Class<?> c = Class.forName(parts[0]);
            assertThat(RequestHandler.class).as(handler).isAssignableFrom(c);
            assertThat(parts[1]).isEqualTo("handleRequest");
            assertThat(c.getConstructor()).as("Lambda makes it with no argument").isNotNull();
        }
    }

    @Test
    void deployToAws_withoutAnAccount_isRefusedWithWhatToDo() throws Exception {
        Path jar = Files.write(dir.resolve("function.jar"), new byte[] {1});
        Path agent = Files.write(dir.resolve("agent.jar"), new byte[] {2});
        DeployCommand c = new DeployCommand();
        c.environment = Map.of("PATH", System.getenv().getOrDefault("PATH", ""));
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.configure(new picocli.CommandLine(c)).setErr(new java.io.PrintWriter(err))
                .execute("--function-jar", jar.toString(), "--agent-jar", agent.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("error: name the AWS account with --account ID")
                .doesNotContain("Exception");
    }

    @Test
    void synthOnly_withoutAnOutDirectory_orAFunctionJar_isRefused() {
        CliRun noOut = CliRun.of("deploy", "--synth-only");
        assertThat(noOut.exitCode()).isEqualTo(2);
        assertThat(noOut.err()).contains("--synth-only needs --out DIR");

        CliRun noJar = CliRun.of("deploy", "--synth-only", "--out", dir.toString(), "--function-jar",
                dir.resolve("missing.jar").toString());
        assertThat(noJar.exitCode()).isEqualTo(2);
        assertThat(noJar.err()).contains("--function-jar " + dir.resolve("missing.jar") + ": no such file");

        CliRun noAgent = CliRun.of("deploy", "--synth-only", "--out", dir.toString(), "--agent-jar",
                dir.resolve("missing-agent.jar").toString());
        assertThat(noAgent.exitCode()).isEqualTo(2);
        assertThat(noAgent.err()).contains("--agent-jar " + dir.resolve("missing-agent.jar") + ": no such file");
    }

    @Test
    void withoutNode_saysWhatToInstall() throws Exception {
        DeployCommand c = new DeployCommand();
        c.synthOnly = true;
        c.out = dir.resolve("out");
        c.functionJar = Files.write(dir.resolve("function.jar"), new byte[] {1});
        c.agentJar = Files.write(dir.resolve("agent.jar"), new byte[] {2});
        c.environment = Map.of("PATH", dir.toString());
        assertThatThrownBy(c::call).isInstanceOf(SpotkeeperException.class)
                .hasMessageContaining("needs node on the PATH").hasMessageContaining("apt-get install nodejs");
        assertThat(c.out).doesNotExist();
    }
}
