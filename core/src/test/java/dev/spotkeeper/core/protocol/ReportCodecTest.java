package dev.spotkeeper.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotkeeper.core.event.EventParser;
import dev.spotkeeper.core.event.EventTypes;
import dev.spotkeeper.core.event.ParsedEvent;
import dev.spotkeeper.core.event.SpotEvent;
import dev.spotkeeper.core.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReportCodecTest {
    static Stream<Report> reports() {
        return Stream.of(
                new Report.Started(),
                new Report.Restored("ckpt-0000000003-i-0abc", 4096, 1024, OptionalDouble.of(0.4),
                        List.of("ckpt-0000000004-i-0def: incomplete", "ckpt-0000000005-i-0def: sha256, \"x\" differs")),
                new Report.Restored("", 0, 0, OptionalDouble.of(0.0), List.of()),
                new Report.Checkpointed("ckpt-0000000007-i-0abc", 12, OptionalDouble.of(1.5), 3_000_000_012L, true),
                new Report.Checkpointed("ckpt-0000000008-i-0abc", 0, OptionalDouble.of(0.25), 12, false),
                new Report.Evacuating(Optional.of(Instant.parse("2026-03-01T10:02:00Z")), OptionalDouble.of(12.5), true),
                new Report.Evacuated("ckpt-0000000009-i-0abc", 3_000_000_012L, OptionalDouble.of(20.0), 3_000_000_012L,
                        false),
                new Report.Evacuated("", 0, OptionalDouble.of(0.0), -1, true),
                new Report.Progress(0.375),
                new Report.Exited(OptionalInt.of(0), "s3://results/train/", ""),
                new Report.Exited(OptionalInt.of(138), "", "the job died of SIGUSR1"),
                new Report.Failed("no checkpoint location: give --checkpoints s3://bucket/prefix"),
                new Report.Abandoned("restored up to 0-1-20, missing after 0-1-20 up to 0-1-40"),
                new Report.Shipped("0-2-345", 12_345_678L, 98_765_432L));
    }

    @ParameterizedTest
    @MethodSource("reports")
    void everyReport_survivesTheTripThroughTheEnvelopeAndTheEventParser(Report report) {
        SpotEvent.AgentReport received = throughTheWire(report.name(), AgentProtocol.VERSION, ReportCodec.encode(report));

        assertThat(received.report()).isEqualTo(report.name());
        assertThat(ReportCodec.decode(received.report(), received.attributes()))
                .isEqualTo(new Decoded.Accepted(report, List.of()));
    }

    @Test
    void reportOfAnOlderAgent_withoutVersionOrStoredBytes_isReadAsVersionOne() {
        Decoded d = ReportCodec.decode(Report.Checkpointed.NAME, Map.of("checkpoint", "ckpt-1", "bytes", "10",
                "seconds", "0.5"));

        assertThat(d).isEqualTo(new Decoded.Accepted(new Report.Checkpointed("ckpt-1", 10, OptionalDouble.of(0.5), -1,
                true), List.of()));
    }

    @Test
    void unknownReport_isRefusedWithItsName() {
        SpotEvent.AgentReport received = throughTheWire("hibernating", AgentProtocol.VERSION, Map.of());

        assertThat(ReportCodec.decode(received.report(), received.attributes())).isEqualTo(
                new Decoded.Refused("agent report 'hibernating' is not one this controller knows"));
    }

    @Test
    void reportOfANewerProtocol_isRefusedNamingBothVersions() {
        SpotEvent.AgentReport received = throughTheWire(Report.Exited.NAME, AgentProtocol.VERSION + 1,
                ReportCodec.encode(new Report.Exited(OptionalInt.of(0), "", "")));

        Decoded d = ReportCodec.decode(received.report(), received.attributes());

        assertThat(d).isInstanceOf(Decoded.Refused.class);
        assertThat(((Decoded.Refused) d).reason()).isEqualTo("agent report 'exited' speaks protocol "
                + (AgentProtocol.VERSION + 1) + " and this controller " + AgentProtocol.VERSION
                + ": ignored; upgrade the controller to the agent's version");
    }

    @Test
    void versionThatIsNotANumber_isRefused() {
        assertThat(ReportCodec.decode(Report.Started.NAME, Map.of("protocol", "two")))
                .isEqualTo(new Decoded.Refused("agent report 'started' names protocol 'two', which is not a version"
                        + " number: ignored"));
    }

    @Test
    void progressThatIsNotAFraction_isRefused() {
        assertThat(ReportCodec.decode(Report.Progress.NAME, Map.of("progress", "lots")))
                .isEqualTo(new Decoded.Refused("progress 'lots' is not a number"));
        assertThat(ReportCodec.decode(Report.Progress.NAME, Map.of("progress", "1.5")))
                .isEqualTo(new Decoded.Refused("progress 1.5 is outside [0, 1]"));
    }

    @Test
    void byteCountThatIsNotOne_isLeftOutWithANote_andTheRestOfTheReportKept() {
        Decoded d = ReportCodec.decode(Report.Evacuated.NAME, Map.of("checkpoint", "ckpt-2", "bytes", "lots",
                "storedBytes", "-5", "seconds", "2"));

        assertThat(d).isEqualTo(new Decoded.Accepted(new Report.Evacuated("ckpt-2", -1, OptionalDouble.of(2), -1, true),
                List.of("bytes 'lots' is not a byte count: not billed", "storedBytes '-5' is not a byte count: not billed")));
    }

    /** The envelope the agent sends, read back by the controller's event parser. */
    private static SpotEvent.AgentReport throughTheWire(String name, int version, Map<String, Object> fields) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("instance-id", "i-0abc");
        detail.put("workload", "train");
        detail.put(ReportCodec.REPORT, name);
        detail.put(ReportCodec.PROTOCOL, version);
        detail.put("sequence", 1L);
        detail.putAll(fields);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "0");
        root.put("id", "e-1");
        root.put("detail-type", EventTypes.AGENT_REPORT);
        root.put("source", EventTypes.SOURCE_AGENT);
        root.put("time", "2026-03-01T10:00:00Z");
        root.put("region", "us-east-1");
        root.put("resources", List.of());
        root.put("detail", detail);
        ParsedEvent parsed = EventParser.parse(Json.write(root));
        assertThat(parsed).isInstanceOf(ParsedEvent.Event.class);
        return (SpotEvent.AgentReport) ((ParsedEvent.Event) parsed).event();
    }
}
