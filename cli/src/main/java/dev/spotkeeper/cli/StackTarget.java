package dev.spotkeeper.cli;

import dev.spotkeeper.aws.AwsSettings;
import dev.spotkeeper.core.SpotkeeperException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where {@code deploy} and {@code destroy} act: the account, region and credentials, or a local emulator. */
public final class StackTarget {
    /** The account a local endpoint (the emulator) answers as. */
    static final String LOCAL_ACCOUNT = "000000000000";

    @Option(names = "--profile", paramLabel = "P", description = "The AWS profile (else the standard chain).")
    String profile;

    @Option(names = "--region", paramLabel = "R", description = "The region (else AWS_REGION, else us-east-1).")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Send the calls here instead of AWS (a running emulator: `spotkeeper emulator start`).")
    URI endpointUrl;

    @Option(names = "--account", paramLabel = "ID",
            description = "The AWS account id, which names the CDK's assets bucket (else SPOTKEEPER_ACCOUNT).")
    String account;

    AwsSettings settings(Map<String, String> env) {
        if (endpointUrl != null && (endpointUrl.getScheme() == null || endpointUrl.getHost() == null
                || !List.of("http", "https").contains(endpointUrl.getScheme().toLowerCase(Locale.ROOT)))) {
            throw SpotkeeperException.invalidArgument("--endpoint-url " + endpointUrl + " is not an http(s) URL,"
                    + " e.g. http://127.0.0.1:4566");
        }
        AwsSettings s = AwsSettings.defaults().withEndpoint(endpointUrl).withProfile(profile);
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (profile == null && key != null && secret != null) {
            s = s.withStaticKeys(key, secret);
        }
        return s;
    }

    String region(Map<String, String> env) {
        if (region != null) {
            return region;
        }
        return env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1"));
    }

    String account(Map<String, String> env) {
        if (account != null) {
            if (!account.matches("\\d{12}")) {
                throw SpotkeeperException.invalidArgument("--account " + account + " is not a 12-digit account id");
            }
            return account;
        }
        if (env.get("SPOTKEEPER_ACCOUNT") != null) {
            return env.get("SPOTKEEPER_ACCOUNT");
        }
        if (endpointUrl != null) {
            return LOCAL_ACCOUNT;
        }
        throw SpotkeeperException.invalidArgument("name the AWS account with --account ID (or SPOTKEEPER_ACCOUNT):"
                + " the CDK's assets bucket, where the functions' code goes, is named by it");
    }
}
