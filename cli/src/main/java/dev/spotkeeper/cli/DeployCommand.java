package dev.spotkeeper.cli;

import dev.spotkeeper.aws.StackDeployment;
import dev.spotkeeper.cli.job.JarPath;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.deploy.PlaneApp;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spotkeeper deploy}: synthesises the serverless control plane's stack (module {@code deploy}): the
 * CloudFormation template, with the functions' jar and the agent's jar as its assets; and deploys it through
 * CloudFormation ({@link StackDeployment}), or with {@code --synth-only --out DIR} only writes it, offline.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploy the serverless control plane through CloudFormation (or only synthesise its template"
                + " and assets).")
public final class DeployCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--synth-only", description = "Only write the template and its assets; deploy nothing.")
    boolean synthOnly;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the template and its assets go.")
    Path out;

    @Option(names = "--function-jar", paramLabel = "FILE",
            description = "The functions' jar (default: " + JarPath.FUNCTION_JAR + " next to the spotkeeper jar).")
    Path functionJar;

    @Option(names = "--agent-jar", paramLabel = "FILE",
            description = "The agent's jar that instances download (default: " + JarPath.AGENT_JAR
                    + " next to the spotkeeper jar).")
    Path agentJar;

    @CommandLine.Mixin
    StackTarget target = new StackTarget();

    /** The environment whose PATH names node, and the credentials (tests give their own). */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        if (synthOnly && out == null) {
            throw SpotkeeperException.invalidArgument("--synth-only needs --out DIR: where the template goes");
        }
        Path code = functionJar != null ? functionJar : JarPath.functionJar().orElseThrow(() ->
                SpotkeeperException.invalidArgument("the functions' jar " + JarPath.FUNCTION_JAR + " is not next to"
                        + " the spotkeeper jar: build it with `mvn -pl cli -am package` (./spotkeeper does it on first"
                        + " use) or name one with --function-jar FILE"));
        if (!Files.isRegularFile(code)) {
            throw SpotkeeperException.invalidArgument("--function-jar " + code + ": no such file");
        }
        Path agent = agentJar != null ? agentJar : JarPath.agentJar().orElseThrow(() ->
                SpotkeeperException.invalidArgument("the agent jar " + JarPath.AGENT_JAR + " is not next to the"
                        + " spotkeeper jar: build it with `mvn -pl cli -am package` or name one with --agent-jar FILE"));
        if (!Files.isRegularFile(agent)) {
            throw SpotkeeperException.invalidArgument("--agent-jar " + agent + ": no such file");
        }
        if (node().isEmpty()) {
            throw SpotkeeperException.invalidArgument("synthesising the stack needs node on the PATH (the CDK runs in"
                    + " it): install it, e.g. `apt-get install nodejs`");
        }
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            throw SpotkeeperException.invalidArgument("--out " + out + " is a file; name a directory");
        }
        if (!synthOnly) {
            return deploy(code, agent);
        }
        Path template = PlaneApp.synth(code, agent, out);
        PrintWriter w = spec.commandLine().getOut();
        w.println("template: " + template);
        for (Path asset : assets(out)) {
            w.println("asset:    " + asset);
        }
        w.println("stack " + PlaneApp.STACK_NAME + ": deploy the template with its assets (e.g. `cdk deploy --app "
                + out + "` in a bootstrapped account)");
        w.flush();
        return 0;
    }

    private int deploy(Path code, Path agent) {
        String region = target.region(environment);
        String account = target.account(environment);
        PrintWriter w = spec.commandLine().getOut();
        Path dir = out;
        try {
            if (dir == null) {
                dir = Files.createTempDirectory("spotkeeper-cdk-out-");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for the synthesised stack", e);
        }
        PlaneApp.synth(code, agent, dir, onEmulator(agent));
        w.println("synthesised stack " + PlaneApp.STACK_NAME + " into " + dir);
        w.flush();
        try (StackDeployment deployment = new StackDeployment(target.settings(environment), region, account,
                Clock.systemUTC())) {
            StackDeployment.Deployed d = deployment.deploy(dir, PlaneApp.STACK_NAME, line -> {
                w.println(line);
                w.flush();
            });
            String artifacts = d.outputs().get("ArtifactsBucketName");
            if (artifacts != null) {
                deployment.upload(agent, artifacts, "agent/" + JarPath.AGENT_JAR);
                w.println("uploaded the agent jar to s3://" + artifacts + "/agent/" + JarPath.AGENT_JAR);
            }
            w.println("stack " + PlaneApp.STACK_NAME + ": " + d.status() + (d.changed() ? "" : " (no changes)"));
            d.outputs().forEach((k, v) -> w.println("  " + k + " = " + v));
            w.flush();
            return 0;
        } finally {
            if (out == null) {
                deleteQuietly(dir);
            }
        }
    }

    /**
     * What the functions need beyond the stack's environment when they run in the emulator at {@code --endpoint-url}:
     * its market, its machine image, and the agent started from {@code agent} on this machine, where its instances
     * run (they download nothing); nothing on AWS.
     */
    Map<String, String> onEmulator(Path agent) {
        if (target.endpointUrl == null) {
            return Map.of();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Map.of("SPOTKEEPER_MARKET", "emulator", "SPOTKEEPER_IMAGE_ID", "ami-spotkeeper",
                "SPOTKEEPER_AGENT_COMMAND", quote(java) + " -jar " + quote(agent.toAbsolutePath().toString()));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Removes the synthesised stack's temporary directory; what cannot be removed stays in the temp directory. */
    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left in the temp directory
        }
    }

    /** The executable {@code node} on the PATH, if any. */
    private Optional<Path> node() {
        String path = environment.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "node");
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> assets(Path out) {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(p -> p.getFileName().toString().startsWith("asset.")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + out, e);
        }
    }
}
