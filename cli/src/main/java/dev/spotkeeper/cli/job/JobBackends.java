package dev.spotkeeper.cli.job;

import java.util.Objects;
import java.util.function.Function;

/**
 * Opens the backend the job commands run against: with {@code --profile} or AWS credentials in the environment,
 * AWS; otherwise the local emulator in-process. Tests install their own opener.
 */
public final class JobBackends {
    private static volatile Function<DeploymentOptions, JobBackend> opener = JobBackends::openDefault;

    private static volatile Function<DeploymentOptions, JobBackend> installed;

    private JobBackends() {
    }

    public static JobBackend open(DeploymentOptions options) {
        return opener.apply(options);
    }

    /** Goes back to the default opener (tests, after {@link #install}). */
    static void uninstall() {
        opener = JobBackends::openDefault;
        installed = null;
    }

    /** True unless a test installed its own opener. */
    static boolean usesDefault() {
        return installed == null;
    }

    /** Replaces how backends are opened (tests: in-memory fakes); returns the previous opener. */
    public static Function<DeploymentOptions, JobBackend> install(Function<DeploymentOptions, JobBackend> next) {
        Function<DeploymentOptions, JobBackend> previous = opener;
        opener = Objects.requireNonNull(next, "next is null");
        installed = next;
        return previous;
    }

    /** True when the commands would run on the in-process emulator, which keeps nothing between commands. */
    public static boolean isLocal(DeploymentOptions options) {
        return options.profile() == null && !hasAwsCredentials();
    }

    private static JobBackend openDefault(DeploymentOptions options) {
        if (!isLocal(options)) {
            return new AwsBackend(options);
        }
        return EmulatorBackend.start();
    }

    /** The standard chain's environment signs: keys or a profile named in the environment. */
    private static boolean hasAwsCredentials() {
        return System.getenv("AWS_ACCESS_KEY_ID") != null || System.getenv("AWS_PROFILE") != null;
    }
}
