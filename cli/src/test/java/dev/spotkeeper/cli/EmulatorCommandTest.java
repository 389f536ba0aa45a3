package dev.spotkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

class EmulatorCommandTest {
    @TempDir
    Path work;

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("output contains " + regex + ":\n" + text).isTrue();
        return m.group(1);
    }

    @Test
    void start_printsReadyToPasteSettingsServesEc2AndStopsOnInterrupt() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread runner = new Thread(() -> exit.set(Main.commandLine().setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute("emulator", "start", "--port", "0", "--seed", "3",
                        "--time-scale", "60", "--boot-delay", "0", "--work-dir", work.toString())));
        runner.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("[profile spotkeeper-local]"));

        String text = out.toString();
        String endpoint = group(text, "export AWS_ENDPOINT_URL=(http://127\\.0\\.0\\.1:\\d+)");
        String key = group(text, "export AWS_ACCESS_KEY_ID=(\\S+)");
        String secret = group(text, "export AWS_SECRET_ACCESS_KEY=(\\S+)");
        assertThat(text).contains("export AWS_DEFAULT_REGION=us-east-1").contains("endpoint_url = " + endpoint)
                .contains("seed 3").contains("time scale 60x")
                .contains("S3:").contains("SQS:").contains("DynamoDB:").contains("FIS:").contains("/spotkeeper-events");
        try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(ec2.describeAvailabilityZones().availabilityZones()).hasSize(6);
        }

        runner.interrupt();
        runner.join(Duration.ofSeconds(30).toMillis());

        assertThat(exit.get()).isZero();
        assertThat(out.toString()).contains("spotkeeper emulator stopped");
    }

    @Test
    void start_withABadTimeScale_saysWhatIsWrong() {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute("emulator", "start", "--time-scale", "0");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--time-scale must be a positive number");
    }
}
