package dev.spotkeeper.cli.job;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Opens the backend the job commands run against: with {@code --profile} or AWS credentials in the environment,
 * AWS; otherwise the local emulator in-process. Tests install their own opener.
 */
public final class JobBackends {
    private static volatile Function<DeploymentOptions, JobBackend> opener = JobBackends::openDefault;

    private JobBackends() {
    }

    public static JobBackend open(DeploymentOptions options) {
        return opener.apply(options);
    }

    /** Replaces how backends are opened (tests: in-memory fakes); returns the previous opener. */
    public static Function<DeploymentOptions, JobBackend> install(Function<DeploymentOptions, JobBackend> next) {
        Function<DeploymentOptions, JobBackend> previous = opener;
        opener = Objects.requireNonNull(next, "next is null");
        return previous;
    }

    private static JobBackend openDefault(DeploymentOptions options) {
        // Both deployments need the cloud adapters of the ports (EC2 compute, SQS queue, DynamoDB store); until
        // they are part of the build, say so plainly rather than half-run a job.
        String where = options.profile() == null ? "the local emulator" : "AWS profile '" + options.profile() + "'";
        throw SpotkeeperException.of(ErrorCode.UNAVAILABLE, "running jobs on " + where + " needs the EC2, SQS and"
                + " DynamoDB adapters, which this build does not include yet; `spotkeeper events send` and the"
                + " controller's tests work without them");
    }
}
