package dev.spotkeeper.agent.report;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.agent.checkpoint.RestoreResult;
import dev.spotkeeper.agent.checkpoint.UploadResult;
import dev.spotkeeper.core.SpotkeeperException;
import dev.spotkeeper.core.checkpoint.ManifestFile;
import dev.spotkeeper.core.event.EventTypes;
import dev.spotkeeper.core.event.InstanceArn;
import dev.spotkeeper.core.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        send("started", Map.of());
    }

    public void restored(RestoreResult r) {
        restored(r, 0);
    }

    /**
     * @param preparedBytes fetched before, while the instance waited for its start signal: {@code bytes} counts them
     *     too (they crossed the network), {@code reusedBytes} the bytes the final restore took from them instead
     */
    public void restored(RestoreResult r, long preparedBytes) {
        send("restored", ordered("checkpoint", r.checkpointId(), "bytes", r.bytes() + preparedBytes,
                "reusedBytes", r.reusedBytes(),
                "seconds", seconds(r.elapsed().toNanos()),
                "skipped", r.skipped().stream().map(s -> s.checkpointId() + ": " + s.reason()).toList()));
    }

    /** @param confirmed false when the job was asked for a checkpoint and did not confirm it in time */
    public void checkpointed(UploadResult r, boolean confirmed) {
        send("checkpointed", upload(r, confirmed));
    }

    public void evacuating(Instant deadline, double plannedSeconds, boolean fits) {
        send("evacuating", ordered("deadline", deadline.toString(), "plannedSeconds", round(plannedSeconds), "fits", fits));
    }

    /** @param confirmed false when the job was asked for a checkpoint and did not confirm it in time */
    public void evacuated(UploadResult r, boolean confirmed) {
        send("evacuated", upload(r, confirmed));
    }

    /** Evacuated before the job started here: no checkpoint committed, nothing sent. */
    public void evacuatedNothing() {
        send("evacuated", ordered("checkpoint", "", "bytes", 0, "seconds", 0.0));
    }

    /** The agent cannot start (bad settings, S3 out of reach): the reason, and the instance ends. */
    public void failed(String reason) {
        send("failed", ordered("reason", reason));
    }

    public void progress(double progress) {
        send("progress", ordered("progress", progress));
    }

    /** @param reason why the job ended, when the agent knows better than the exit code (empty otherwise) */
    public void exited(int exitCode, String resultsUrl, String reason) {
        Map<String, Object> detail = ordered("exitCode", exitCode, "results", resultsUrl);
        if (!reason.isEmpty()) {
            detail.put("reason", reason);
        }
        send("exited", detail);
    }

    /**
     * {@code bytes} went over the network this time; {@code storedBytes} is the whole checkpoint as it now sits in
     * the bucket (unchanged files are kept from earlier checkpoints), which the controller bills as storage.
     */
    private static Map<String, Object> upload(UploadResult r, boolean confirmed) {
        long stored = r.manifest().files().stream().mapToLong(ManifestFile::size).sum();
        return ordered("checkpoint", r.manifest().id(), "bytes", r.bytesSent(), "seconds", round(r.seconds()),
                "storedBytes", stored, "confirmed", confirmed);
    }

    /** The envelope for {@code report}; visible for tests. */
    public String envelope(String report, Map<String, Object> extra) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("instance-id", instanceId);
        detail.put("workload", workload);
        detail.put("report", report);
        detail.put("sequence", sequence.incrementAndGet());
        detail.putAll(extra);
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

    private void send(String report, Map<String, Object> extra) {
        String envelope = envelope(report, extra);
        LOG.log(Level.INFO, line(report, extra));
        try {
            sink.send(envelope);
        } catch (SpotkeeperException e) {
            LOG.log(Level.WARNING, "report {0} not sent: {1}", new Object[] {report, e.getMessage()});
        }
    }

    /** The report as the console shows it: {@code restored checkpoint=ckpt-… bytes=123 seconds=0.4}. */
    static String line(String report, Map<String, Object> extra) {
        StringBuilder line = new StringBuilder(report);
        extra.forEach((k, v) -> line.append(' ').append(k).append('=')
                .append(v instanceof String || v instanceof Number || v instanceof Boolean ? v : Json.write(v)));
        return line.toString();
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static double seconds(long nanos) {
        return round(nanos / 1e9);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
