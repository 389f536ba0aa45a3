package dev.spotkeeper.cli.job;

import dev.spotkeeper.cli.CliRun;
import java.util.Map;

/**
 * The CLI run in this process as it runs against AWS, with an environment of the test's own (an emulator's endpoint
 * and keys) in place of the process's: the job commands open {@link AwsBackend#open} with it.
 */
public final class AwsCli {
    private AwsCli() {
    }

    public static CliRun run(Map<String, String> env, String... args) {
        JobBackends.install(options -> AwsBackend.open(options, env));
        try {
            return CliRun.of(args);
        } finally {
            JobBackends.uninstall();
        }
    }
}
