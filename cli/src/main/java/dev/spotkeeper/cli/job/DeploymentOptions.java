package dev.spotkeeper.cli.job;

import picocli.CommandLine.Option;

/** Where the job commands run: AWS with a profile, or the local emulator when no credentials are configured. */
public final class DeploymentOptions {
    @Option(names = "--profile", paramLabel = "NAME",
            description = "AWS profile to run on. Default: the local emulator when no AWS credentials are configured.")
    String profile;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Region of the control plane (event queue, state table). Default: the profile's region.")
    String region;

    public String profile() {
        return profile;
    }

    public String region() {
        return region;
    }
}
