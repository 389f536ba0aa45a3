package dev.spotkeeper.agent.report;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.agent.checkpoint.RestoreResult;
import dev.spotkeeper.agent.checkpoint.UploadResult;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ManifestFile;
import dev.spotkeeper.core.event.EventTypes;
import dev.spotkeeper.core.event.InstanceArn;
import dev.spotkeeper.core.json.Json;
import dev.spotkeeper.core.protocol.AgentProtocol;
import dev.spotkeeper.core.protocol.Report;
import dev.spotkeeper.core.protocol.ReportCodec;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the agent's reports in the EventBridge envelope (docs/job-runtime.md) and sends them. The sequence starts
 * at the agent's start time in milliseconds and grows by one per report, so it increases across restarts of the
 * agent too and the controller's deduplication never mistakes a new report for a repeat. A report that cannot be
 * sent is logged and dropped: the job must not stop because the queue is unreachable.
 */
public final class AgentReporter {
    private static final Logger LOG = Logger.getLogger(AgentReporter.class.getName());

    private final ReportSink sink;
    private final Clock clock;
    private final String instanceId;
    private final String workload;
    private final String region;
    private final String account;
    private final Supplier<UUID> ids;
    private final AtomicLong sequence;

    /** A reporter that names no account (an agent without the instance identity document). */
    public AgentReporter(ReportSink sink, Clock clock, String instanceId, String workload, String region, Supplier<UUID> ids) {
        this(sink, clock, instanceId, workload, region, "", ids);
    }

    /**
     * @param account the instance's account from the instance identity document, or empty: the envelope's
     *     {@code account}, and the account of the instance ARN in {@code resources}, which the controller checks
     */
    public AgentReporter(ReportSink sink, Clock clock, String instanceId, String workload, String region, String account,
                         Supplier<UUID> ids) {
        this.sink = requireNonNull(sink, "sink is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.instanceId = requireNonNull(instanceId, "instanceId is null");
        this.workload = requireNonNull(workload, "workload is null");
        this.region = requireNonNull(region, "region is null");
        this.account = requireNonNull(account, "account is null");
        this.ids = requireNonNull(ids, "ids is null");
        this.sequence = new AtomicLong(clock.millis());
    }

    public void started() {
        send(new Report.Started());
    }

    /**
     * A database restored from S3 up to {@code position}: reported as restored at {@code gtid:<position>}, with
     * every backup passed over (and, degraded, the missing range) among the skipped ones, so the events say so.
     *
     * @param bytes downloaded from the backup to restore (and catch up from S3), which the controller bills as
     *     transfer when the bucket is in another region; -1 when not counted
     * @param seconds the restore from S3 (the newest base and the shipped logs), negative when not timed
     */
    public void restoredDatabase(String position, List<String> refused, long bytes, double seconds) {
        send(new Report.Restored("gtid:" + position, bytes, 0, seconds < 0 ? OptionalDouble.empty()
                : OptionalDouble.of(round(seconds)), refused));
    }

    /**
     * A service's primary uploaded {@code bytes} of its backup since its previous such report, {@code sentInAll}
     * since this agent started; {@code position} is the GTID position shipped.
     */
    public void shipped(String position, long bytes, long sentInAll) {
        send(new Report.Shipped(position, bytes, sentInAll));
    }

    public void restored(RestoreResult r) {
        restored(r, 0);
    }

    /**
     * @param preparedBytes fetched before, while the instance waited for its start signal: {@code bytes} counts them
     *     too (they crossed the network), {@code reusedBytes} the bytes the final restore took from them instead
     */
    public void restored(RestoreResult r, long preparedBytes) {
        send(new Report.Restored(r.checkpointId(), r.bytes() + preparedBytes, r.reusedBytes(),
                OptionalDouble.of(seconds(r.elapsed().toNanos())),
                r.skipped().stream().map(s -> s.checkpointId() + ": " + s.reason()).toList()));
    }

    /** @param confirmed false when the job was asked for a checkpoint and did not confirm it in time */
    public void checkpointed(UploadResult r, boolean confirmed) {
        send(new Report.Checkpointed(r.manifest().id(), r.bytesSent(), OptionalDouble.of(round(r.seconds())),
                storedBytes(r), confirmed));
    }

    public void evacuating(Instant deadline, double plannedSeconds, boolean fits) {
        send(new Report.Evacuating(Optional.of(deadline), OptionalDouble.of(round(plannedSeconds)), fits));
    }

    /** @param confirmed false when the job was asked for a checkpoint and did not confirm it in time */
    public void evacuated(UploadResult r, boolean confirmed) {
        send(new Report.Evacuated(r.manifest().id(), r.bytesSent(), OptionalDouble.of(round(r.seconds())),
                storedBytes(r), confirmed));
    }

    /** Evacuated before the job started here: no checkpoint committed, nothing sent, nothing stored. */
    public void evacuatedNothing() {
        send(new Report.Evacuated("", 0, OptionalDouble.of(0.0), -1, true));
    }

    /**
     * A service's primary handed over: writes refused, its last log shipped, the final GTID committed in S3 (named
     * as the checkpoint, {@code gtid:<position>}).
     *
     * @param bytes uploaded to the backup since the last {@code shipped} report (the last log's included)
     */
    public void handedOver(String finalGtid, double seconds, long bytes) {
        send(new Report.Evacuated("gtid:" + finalGtid, bytes, OptionalDouble.of(round(seconds)), -1, true));
    }

    /**
     * A service's announced move is abandoned (the replacement could not take over verified): sent by the old
     * primary, which serves on, and by the replacement, which the controller then ends.
     */
    public void abandoned(String reason) {
        send(new Report.Abandoned(reason));
    }

    /** The agent cannot start (bad settings, S3 out of reach): the reason, and the instance ends. */
    public void failed(String reason) {
        send(new Report.Failed(reason));
    }

    public void progress(double progress) {
        send(new Report.Progress(progress));
    }

    /** @param reason why the job ended, when the agent knows better than the exit code (empty otherwise) */
    public void exited(int exitCode, String resultsUrl, String reason) {
        send(new Report.Exited(OptionalInt.of(exitCode), resultsUrl, reason));
    }

    /**
     * {@code bytes} went over the network this time; {@code storedBytes} is the whole checkpoint as it now sits in
     * the bucket (unchanged files are kept from earlier checkpoints), which the controller bills as storage.
     */
    private static long storedBytes(UploadResult r) {
        return r.manifest().files().stream().mapToLong(ManifestFile::size).sum();
    }

    /** The envelope for {@code report}; visible for tests. */
    public String envelope(Report report) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("instance-id", instanceId);
        detail.put("workload", workload);
        detail.put(ReportCodec.REPORT, report.name());
        detail.put(ReportCodec.PROTOCOL, AgentProtocol.VERSION);
        detail.put("sequence", sequence.incrementAndGet());
        detail.putAll(ReportCodec.encode(report));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "0");
        root.put("id", ids.get().toString());
        root.put("detail-type", EventTypes.AGENT_REPORT);
        root.put("source", EventTypes.SOURCE_AGENT);
        root.put("account", account);
        root.put("time", clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        root.put("region", region);
        root.put("resources", region.isEmpty() ? List.of() : List.of(new InstanceArn(InstanceArn.partitionOf(region),
                region, account, instanceId).toString()));
        root.put("detail", detail);
        return Json.write(root);
    }

    private void send(Report report) {
        String envelope = envelope(report);
        LOG.log(Level.INFO, line(report.name(), ReportCodec.encode(report)));
        try {
            sink.send(envelope);
        } catch (SpotkeeperException e) {
            LOG.log(Level.WARNING, "report {0} not sent: {1}", new Object[] {report.name(), e.getMessage()});
        }
    }

    /** The report as the console shows it: {@code restored checkpoint=ckpt-… bytes=123 seconds=0.4}. */
    static String line(String report, Map<String, Object> extra) {
        StringBuilder line = new StringBuilder(report);
        extra.forEach((k, v) -> line.append(' ').append(k).append('=')
                .append(v instanceof String || v instanceof Number || v instanceof Boolean ? v : Json.write(v)));
        return line.toString();
    }

    private static double seconds(long nanos) {
        return round(nanos / 1e9);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
