package dev.spotkeeper.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.agent.checkpoint.UploadResult;
import dev.spotkeeper.agent.AgentClients;
import dev.spotkeeper.core.checkpoint.Manifest;
import dev.spotkeeper.core.checkpoint.ManifestFile;
import dev.spotkeeper.core.event.Envelope;
import dev.spotkeeper.core.event.EventParser;
import dev.spotkeeper.core.event.ParsedEvent;
import dev.spotkeeper.core.event.SpotEvent;
import dev.spotkeeper.core.protocol.AgentProtocol;
import dev.spotkeeper.core.protocol.Decoded;
import dev.spotkeeper.core.protocol.Report;
import dev.spotkeeper.core.protocol.ReportCodec;
import dev.spotkeeper.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class AgentReporterTest {
    MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");

    @Test
    void reports_arriveOnTheQueue_andParseAsAgentReportsWithIncreasingSequence() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        String secret = UUID.randomUUID().toString();
        try (SqsClient sqs = AgentClients.sqs(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:" + port, "AWS_REGION", "us-east-1"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", secret)))) {
            String queue = sqs.createQueue(b -> b.queueName("events")).queueUrl();
            AgentReporter reporter = new AgentReporter(new SqsReportSink(sqs, queue), clock, "i-0abc", "train",
                    "us-east-1", "123456789012", UUID::randomUUID);

            reporter.started();
            reporter.evacuating(Instant.parse("2026-03-01T10:02:00Z"), 12.5, true);
            reporter.exited(0, "s3://results/train/", "");

            List<SpotEvent.AgentReport> reports = receive(sqs, queue, 3);
            assertThat(reports).extracting(SpotEvent.AgentReport::report).containsExactly("started", "evacuating", "exited");
            assertThat(reports).allSatisfy(r -> {
                assertThat(r.instanceId()).isEqualTo("i-0abc");
                assertThat(r.attributes()).containsEntry("workload", "train");
            });
            assertThat(reports.get(1).attributes()).containsEntry("deadline", "2026-03-01T10:02:00Z")
                    .containsEntry("plannedSeconds", "12.5").containsEntry("fits", "true");
            assertThat(reports.get(2).attributes()).containsEntry("exitCode", "0").containsEntry("results", "s3://results/train/");
            List<Long> sequences = reports.stream().map(r -> Long.parseLong(r.attributes().get("sequence"))).toList();
            assertThat(sequences).isSorted().doesNotHaveDuplicates();
            assertThat(reports.get(0).dedupKey()).isNotEqualTo(reports.get(1).dedupKey());

        } finally {
            server.stopAndWait();
        }
    }

    @Test
    void checkpointedAndEvacuated_reportTheBytesSentAndTheWholeCheckpointsStoredSize() {
        List<String> sent = new java.util.ArrayList<>();
        AgentReporter reporter = new AgentReporter(sent::add, clock, "i-0abc", "train", "us-east-1", UUID::randomUUID);
        Manifest manifest = new Manifest("train", Manifest.checkpointId(7, "i-0abc"), 7, clock.instant(), "i-0abc",
                List.of(ManifestFile.single("model.bin", 3_000_000_000L, "a".repeat(64), "train/model.bin", 0),
                        ManifestFile.single("step.txt", 12, "b".repeat(64), "train/step.txt", 0)));

        reporter.checkpointed(new UploadResult(manifest, 12, 0, 1, 1, Duration.ofMillis(1500)), true);
        reporter.evacuated(new UploadResult(manifest, 3_000_000_012L, 0, 2, 0, Duration.ofSeconds(20)), false);

        List<Map<String, String>> attributes = sent.stream().map(EventParser::parse)
                .map(p -> ((SpotEvent.AgentReport) ((ParsedEvent.Event) p).event()).attributes()).toList();
        assertThat(attributes.get(0)).containsEntry("checkpoint", "ckpt-0000000007-i-0abc")
                .containsEntry("bytes", "12").containsEntry("storedBytes", "3000000012").containsEntry("seconds", "1.5")
                .containsEntry("confirmed", "true");
        assertThat(attributes.get(1)).containsEntry("bytes", "3000000012").containsEntry("storedBytes", "3000000012")
                .containsEntry("confirmed", "false");
    }

    @Test
    void everyReport_carriesTheProtocolVersion_andDecodesToWhatTheAgentMeant() {
        List<String> sent = new java.util.ArrayList<>();
        AgentReporter reporter = new AgentReporter(sent::add, clock, "i-0abc", "train", "us-east-1", UUID::randomUUID);

        reporter.evacuatedNothing();
        reporter.exited(3, "", "");

        List<SpotEvent.AgentReport> reports = sent.stream().map(EventParser::parse)
                .map(p -> (SpotEvent.AgentReport) ((ParsedEvent.Event) p).event()).toList();
        assertThat(reports).allSatisfy(r -> assertThat(r.attributes())
                .containsEntry("protocol", Integer.toString(AgentProtocol.VERSION)));
        assertThat(reports).extracting(r -> ReportCodec.decode(r.report(), r.attributes())).containsExactly(
                new Decoded.Accepted(new Report.Evacuated("", 0, OptionalDouble.of(0), -1, true), List.of()),
                new Decoded.Accepted(new Report.Exited(OptionalInt.of(3), "", ""), List.of()));
    }

    @Test
    void consoleLine_namesTheReportAndItsDetails() {
        assertThat(AgentReporter.line("restored", new java.util.LinkedHashMap<>(Map.of("checkpoint", "ckpt-1"))))
                .isEqualTo("restored checkpoint=ckpt-1");
        assertThat(AgentReporter.line("restored", new java.util.LinkedHashMap<>(Map.of("skipped",
                List.of("ckpt-2: incomplete"))))).isEqualTo("restored skipped=[\"ckpt-2: incomplete\"]");
    }

    @Test
    void envelope_namesTheInstanceAsEventBridgeWould_withTheAccountWhenKnown() {
        List<String> sent = new java.util.ArrayList<>();
        new AgentReporter(sent::add, clock, "i-0abc", "train", "us-east-1", "123456789012", UUID::randomUUID).started();
        new AgentReporter(sent::add, clock, "i-0abc", "train", "cn-north-1", UUID::randomUUID).started();

        assertThat(((ParsedEvent.Event) EventParser.parse(sent.get(0))).envelope()).isEqualTo(new Envelope(
                "spotkeeper.agent", "123456789012", "us-east-1", List.of("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc")));
        assertThat(((ParsedEvent.Event) EventParser.parse(sent.get(1))).envelope().resources())
                .containsExactly("arn:aws-cn:ec2:cn-north-1::instance/i-0abc");
    }

    private static List<SpotEvent.AgentReport> receive(SqsClient sqs, String queue, int count) {
        List<Message> messages = new java.util.ArrayList<>();
        while (messages.size() < count) {
            messages.addAll(sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages());
        }
        return messages.stream().map(m -> EventParser.parse(m.body())).map(p -> {
            assertThat(p).isInstanceOf(ParsedEvent.Event.class);
            return (SpotEvent.AgentReport) ((ParsedEvent.Event) p).event();
        }).sorted(java.util.Comparator.comparing(r -> Long.parseLong(r.attributes().get("sequence")))).toList();
    }
}
