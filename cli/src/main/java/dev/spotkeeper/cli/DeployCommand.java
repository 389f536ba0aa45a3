package dev.spotkeeper.cli;

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
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spotkeeper deploy --synth-only --out DIR}: synthesises the serverless control plane's stack (module
 * {@code deploy}) into a directory, offline: the CloudFormation template, with the functions' jar and the agent's jar
 * as its assets.
 * Deploying it through CloudFormation from here comes later.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Synthesise the serverless control plane (a CloudFormation template and its assets).")
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

    /** The environment whose PATH names node (tests give their own). */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        if (!synthOnly) {
            throw SpotkeeperException.invalidArgument("deploying through CloudFormation is not available yet:"
                    + " run `spotkeeper deploy --synth-only --out DIR` and deploy the template in DIR");
        }
        if (out == null) {
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
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw SpotkeeperException.invalidArgument("--out " + out + " is a file; name a directory");
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
