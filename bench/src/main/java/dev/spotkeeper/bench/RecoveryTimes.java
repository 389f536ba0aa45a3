package dev.spotkeeper.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * What one B4 run measured. Every instant is on the controller's clock: the FIS experiment's start as the
 * benchmark asked for it, then the controller's own journal times for what it heard and did.
 *
 * @param fisStarted        just before StartExperiment was called
 * @param warning           the controller learned of the interruption (AT_RISK: the EC2 warning event or the
 *                          victim's agent reporting the notice, whichever came first)
 * @param launch            the replacement's launch request returned (LAUNCHED)
 * @param agentStarted      the replacement's agent reported "started" (before it restores)
 * @param restored          the replacement's agent reported "restored"
 * @param restoredBytes     bytes the replacement downloaded, as its agent reported
 * @param transferSeconds   the replacement agent's own restore time (list, download, verify, move into place)
 * @param warningCause      why the controller moved the instance to AT_RISK
 */
record RecoveryTimes(String victim, String replacement, Instant fisStarted, Instant warning, Instant launch,
                     Instant agentStarted, Instant restored, long restoredBytes, double transferSeconds,
                     String warningCause) {
    RecoveryTimes {
        requireNonNull(victim, "victim is null");
        requireNonNull(replacement, "replacement is null");
        requireNonNull(fisStarted, "fisStarted is null");
        requireNonNull(warning, "warning is null");
        requireNonNull(launch, "launch is null");
        requireNonNull(agentStarted, "agentStarted is null");
        requireNonNull(restored, "restored is null");
        requireNonNull(warningCause, "warningCause is null");
    }

    /** FIS start to the controller hearing of it: event delivery (or the victim's IMDS poll and report). */
    double warningDelivery() {
        return seconds(fisStarted, warning);
    }

    /** Figure 1: warning received to replacement launch requested. */
    double launchAfterWarning() {
        return seconds(warning, launch);
    }

    /**
     * Launch to the replacement agent's "started" report as the controller saw it: boot (0 here), user data, the
     * agent's JVM start, its report, and however long the report waited for the controller's next receive.
     */
    double agentStart() {
        return seconds(launch, agentStarted);
    }

    /**
     * Launch to the moment the replacement's restore began (its "restored" minus its own restore time): user data,
     * the agent's JVM start, its AWS clients and IMDS identity, plus the delivery of the "restored" report. Unlike
     * {@link #agentStart()} it does not depend on when the controller got round to the "started" report.
     */
    double launchToRestoreStart() {
        return seconds(launch, restored) - transferSeconds;
    }

    /** Figure 2: the FIS experiment's start to the replacement's "restored". */
    double restoredAfterWarning() {
        return seconds(fisStarted, restored);
    }

    /** What the goal "restored within 10 s plus the transfer" checks. */
    double restoredMinusTransfer() {
        return restoredAfterWarning() - transferSeconds;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
