package dev.spotkeeper.core.protocol;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What an agent tells the controller about its instance and its job (docs/job-runtime.md, "Events"). Each report
 * travels as the {@code detail} of an EventBridge envelope, encoded and decoded by {@link ReportCodec}. A byte
 * count of {@code -1} means the report did not carry one (an older agent) or carried something that is not a count:
 * nothing is billed for it.
 */
public sealed interface Report {
    /** The report's name on the wire ({@code detail.report}). */
    String name();

    /** The agent runs (before it restores anything). */
    record Started() implements Report {
        public static final String NAME = "started";

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * Sent as the job starts.
     *
     * @param checkpoint the checkpoint restored, or empty for a fresh start
     * @param bytes fetched, the preparation's included
     * @param reusedBytes taken from the files prepared before the start instead of fetched again
     * @param seconds how long the restore took, when reported
     * @param skipped {@code "<id>: <reason>"} for each checkpoint passed over
     */
    record Restored(String checkpoint, long bytes, long reusedBytes, OptionalDouble seconds, List<String> skipped)
            implements Report {
        public static final String NAME = "restored";

        public Restored {
            requireNonNull(checkpoint, "checkpoint is null");
            requireNonNull(seconds, "seconds is null");
            skipped = List.copyOf(skipped);
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /** What a checkpoint upload reports: {@link Checkpointed} (background sync) and {@link Evacuated}. */
    sealed interface Upload extends Report {
        /** The checkpoint committed, or empty when none was (evacuated before the job started). */
        String checkpoint();

        /** Sent over the network this time. */
        long bytes();

        OptionalDouble seconds();

        /** The whole checkpoint's size (unchanged files included), billed as storage; -1 when not reported. */
        long storedBytes();

        /** False when the job was asked for a checkpoint and did not confirm it in time. */
        boolean confirmed();
    }

    /** A background sync committed a checkpoint. */
    record Checkpointed(String checkpoint, long bytes, OptionalDouble seconds, long storedBytes, boolean confirmed)
            implements Upload {
        public static final String NAME = "checkpointed";

        public Checkpointed {
            requireNonNull(checkpoint, "checkpoint is null");
            requireNonNull(seconds, "seconds is null");
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * The agent evacuates by {@code deadline} (empty when the report named none it could read).
     *
     * @param fits whether the upload is expected to fit the time left
     */
    record Evacuating(java.util.Optional<Instant> deadline, OptionalDouble plannedSeconds, boolean fits)
            implements Report {
        public static final String NAME = "evacuating";

        public Evacuating {
            requireNonNull(deadline, "deadline is null");
            requireNonNull(plannedSeconds, "plannedSeconds is null");
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /** The job is stopped and its checkpoint committed (empty: it was evacuated before it started). */
    record Evacuated(String checkpoint, long bytes, OptionalDouble seconds, long storedBytes, boolean confirmed)
            implements Upload {
        public static final String NAME = "evacuated";

        public Evacuated {
            requireNonNull(checkpoint, "checkpoint is null");
            requireNonNull(seconds, "seconds is null");
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /** The job's own progress, in [0, 1] (a report outside it is refused by the codec). */
    record Progress(double progress) implements Report {
        public static final String NAME = "progress";

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * The job ended on its own.
     *
     * @param exitCode empty when the report carried none that is a number
     * @param results the S3 URL of the uploaded results, or empty
     * @param reason why the job ended when the agent knows better than the exit code, or empty
     */
    record Exited(OptionalInt exitCode, String results, String reason) implements Report {
        public static final String NAME = "exited";

        public Exited {
            requireNonNull(exitCode, "exitCode is null");
            requireNonNull(results, "results is null");
            requireNonNull(reason, "reason is null");
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /** The agent cannot start (bad settings, S3 out of reach) and ends its instance. */
    record Failed(String reason) implements Report {
        public static final String NAME = "failed";

        public Failed {
            requireNonNull(reason, "reason is null");
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * A service's announced move is abandoned: its replacement could not restore the data verified nor catch up
     * the gap from the old primary, so the old primary keeps serving and hands nothing over. Sent by the old
     * primary (which serves on) and by the replacement (which ends); {@code reason} says which range was missing.
     */
    record Abandoned(String reason) implements Report {
        public static final String NAME = "abandoned";

        public Abandoned {
            requireNonNull(reason, "reason is null");
        }

        @Override
        public String name() {
            return NAME;
        }
    }

    /**
     * A service's primary uploaded {@code bytes} of its backup (base backups, binary-log segments, the catalog, its
     * heartbeat) to the checkpoint bucket since its previous report; sent now and then while it serves and before it
     * stops, so the controller can bill the transfer when the bucket is in another region.
     *
     * @param position the GTID position shipped when the report was made
     * @param sentInAll the bytes this agent has uploaded in all since it started, this report's included: what tells
     *     one report from the next (a repeated report names the same count)
     */
    record Shipped(String position, long bytes, long sentInAll) implements Report {
        public static final String NAME = "shipped";

        public Shipped {
            requireNonNull(position, "position is null");
        }

        @Override
        public String name() {
            return NAME;
        }
    }
}
