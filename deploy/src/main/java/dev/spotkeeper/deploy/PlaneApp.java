package dev.spotkeeper.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: one stack, {@code spotkeeper}, synthesised into a directory. Environment-agnostic (account and region
 * are the deployment's), so one template serves every account.
 */
public final class PlaneApp {
    public static final String STACK_NAME = "spotkeeper";

    private PlaneApp() {
    }

    /** Synthesises the stack into {@code out}, with the functions' and the agent's jars as assets; returns the template's path. */
    public static Path synth(Path functionCode, Path agentJar, Path out) {
        return synth(functionCode, agentJar, out, java.util.Map.of());
    }

    /** The same, with variables added to the functions' environment ({@link PlaneStack}'s). */
    public static Path synth(Path functionCode, Path agentJar, Path out, java.util.Map<String, String> functionEnvironment) {
        for (Path jar : new Path[] {functionCode, agentJar}) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("the jar " + jar + " does not exist; build it (mvn -pl cli -am package)"
                        + " or name another");
            }
        }
        App app = new App(AppProps.builder().outdir(out.toString()).analyticsReporting(false).build());
        new PlaneStack(app, STACK_NAME, StackProps.builder().stackName(STACK_NAME)
                .description("spotkeeper: the serverless control plane").build(), functionCode, agentJar,
                functionEnvironment);
        app.synth();
        return out.resolve(STACK_NAME + ".template.json");
    }

    /** {@code PlaneApp FUNCTION_JAR AGENT_JAR OUT_DIR}. */
    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: PlaneApp FUNCTION_JAR AGENT_JAR OUT_DIR");
        }
        synth(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
    }
}
