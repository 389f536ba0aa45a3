package dev.spotkeeper.emulator;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real AWS CLI v2 (Debian's awscli at /usr/bin/aws; an older v1 may come first on PATH) against an
 * emulator endpoint, with generated credentials and none of the user's configuration.
 */
public final class AwsCli {
    public static final Path AWS = Path.of("/usr/bin/aws");

    /** What one run printed. */
    public record Result(int exitCode, String out, String err) {
    }

    private final String endpoint;
    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final Path work;

    public AwsCli(String endpoint, String accessKey, String secretKey, String region, Path work) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
        this.work = work;
    }

    /** Skips the calling test when the CLI is not installed. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(AWS), "AWS CLI v2 (/usr/bin/aws, Debian package awscli) is not installed");
    }

    public Result run(String... args) throws IOException, InterruptedException {
        assumeInstalled();
        Path empty = Files.createTempFile(work, "aws-config", "");
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", endpoint, "--output", "json"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", secretKey);
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_CONFIG_FILE", empty.toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", empty.toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        env.remove("AWS_PROFILE");
        env.remove("AWS_SESSION_TOKEN");
        env.remove("AWS_ENDPOINT_URL");
        Path out = Files.createTempFile(work, "aws-out", ".txt");
        Path err = Files.createTempFile(work, "aws-err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Runs and returns standard output; a non-zero exit fails the test with the CLI's message. */
    public String ok(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("aws " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.err());
        }
        return r.out();
    }
}
