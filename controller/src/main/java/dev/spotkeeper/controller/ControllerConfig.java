package dev.spotkeeper.controller;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.ledger.DataPrices;
import dev.spotkeeper.core.policy.Policies;
import java.time.Duration;
import java.util.List;

/**
 * How the controller launches and paces its work.
 *
 * @param imageId the machine image instances boot from
 * @param agentCommand how user data starts the agent on the instance, from the agent's own jar (module
 *     {@code agent-app}), e.g. {@code java -jar /opt/spotkeeper/spotkeeper-agent.jar};
 *     the controller appends {@code agent --workload <name> --agent-spec <s3 url>} and {@code agentArgs}
 * @param agentArgs extra agent options (event queue, endpoints), appended as written
 * @param evacuationWindow the time the controller gives the agent when it asks for an evacuation itself
 *     (relocation, budget, max duration); AWS's warning gives two minutes
 * @param evacuationGrace how long past an evacuation deadline the controller waits before it gives up on the agent
 * @param restartOverhead billed time without progress on every restart, for the deadline rule
 * @param scanRegions regions searched for our instances when the controller starts (its records name the rest)
 * @param receiveWait how long one {@code runOnce} waits for the first event (SQS long polling)
 * @param eventBatch at most this many events are read per {@code runOnce}
 * @param agentStartTimeout an instance whose agent has not reported this long after the launch fails the workload
 * @param schedulingPolicy the {@link Policies} name of the policy that decides spot or on-demand for workloads with a
 *     deadline (default {@code spotkeeper}); the deadline rule stays under it as a safety net
 * @param region the control plane's region (its queue and state table); checkpoint buckets are there unless the
 *     spec's {@code buckets.region} says otherwise
 * @param dataPrices what storing and moving checkpoints costs, for the ledger
 * @param account the control plane's AWS account (12 digits), which every event must name; empty when unknown, and
 *     then an event's account is not checked (its region and resources still are)
 */
public record ControllerConfig(
        String imageId,
        String agentCommand,
        String agentArgs,
        Duration evacuationWindow,
        Duration evacuationGrace,
        Duration restartOverhead,
        List<String> scanRegions,
        Duration receiveWait,
        int eventBatch,
        Duration agentStartTimeout,
        String schedulingPolicy,
        String region,
        DataPrices dataPrices,
        String account) {

    public ControllerConfig {
        requireNonNull(imageId, "imageId is null");
        requireNonNull(agentCommand, "agentCommand is null");
        requireNonNull(agentArgs, "agentArgs is null");
        requireNonNull(evacuationWindow, "evacuationWindow is null");
        requireNonNull(evacuationGrace, "evacuationGrace is null");
        requireNonNull(restartOverhead, "restartOverhead is null");
        requireNonNull(receiveWait, "receiveWait is null");
        requireNonNull(agentStartTimeout, "agentStartTimeout is null");
        requireNonNull(schedulingPolicy, "schedulingPolicy is null");
        requireNonNull(region, "region is null");
        requireNonNull(dataPrices, "dataPrices is null");
        requireNonNull(account, "account is null");
        if (!account.isEmpty() && !account.matches("\\d{12}")) {
            throw new IllegalArgumentException("account must be 12 digits or empty, was '" + account + "'");
        }
        scanRegions = List.copyOf(scanRegions);
        // Refused here, with the known names, rather than at the first launch of a workload with a deadline.
        Policies.create(schedulingPolicy, "unused");
        if (eventBatch < 1 || eventBatch > 10) {
            throw new IllegalArgumentException("eventBatch must be 1..10 (SQS's limit), was " + eventBatch);
        }
    }

    /**
     * Two-minute evacuations (as AWS's warning), 30 s grace, 5-minute restart overhead, no long polling, ten
     * minutes for an agent to report after its launch, the {@code spotkeeper} scheduling policy, control plane in
     * us-east-1, AWS's published data prices, the account not known (not checked).
     */
    public static ControllerConfig defaults(String imageId, String agentCommand) {
        return new ControllerConfig(imageId, agentCommand, "", Duration.ofMinutes(2), Duration.ofSeconds(30),
                Duration.ofMinutes(5), List.of(), Duration.ZERO, 10, Duration.ofMinutes(10),
                "spotkeeper", "us-east-1", DataPrices.defaults(), "");
    }

    public ControllerConfig withAgentArgs(String args) {
        return new ControllerConfig(imageId, agentCommand, args, evacuationWindow, evacuationGrace, restartOverhead,
                scanRegions, receiveWait, eventBatch, agentStartTimeout, schedulingPolicy, region, dataPrices, account);
    }

    public ControllerConfig withScanRegions(List<String> regions) {
        return new ControllerConfig(imageId, agentCommand, agentArgs, evacuationWindow, evacuationGrace,
                restartOverhead, regions, receiveWait, eventBatch, agentStartTimeout, schedulingPolicy, region,
                dataPrices, account);
    }

    public ControllerConfig withReceiveWait(Duration wait) {
        return new ControllerConfig(imageId, agentCommand, agentArgs, evacuationWindow, evacuationGrace,
                restartOverhead, scanRegions, wait, eventBatch, agentStartTimeout, schedulingPolicy, region,
                dataPrices, account);
    }

    public ControllerConfig withAgentStartTimeout(Duration timeout) {
        return new ControllerConfig(imageId, agentCommand, agentArgs, evacuationWindow, evacuationGrace,
                restartOverhead, scanRegions, receiveWait, eventBatch, timeout, schedulingPolicy, region,
                dataPrices, account);
    }

    public ControllerConfig withEvacuation(Duration window, Duration grace) {
        return new ControllerConfig(imageId, agentCommand, agentArgs, window, grace, restartOverhead, scanRegions,
                receiveWait, eventBatch, agentStartTimeout, schedulingPolicy, region, dataPrices, account);
    }

    /** The scheduling policy by its registry name ({@code spotkeeper}, {@code on-demand}, {@code greedy}, …). */
    public ControllerConfig withSchedulingPolicy(String name) {
        return new ControllerConfig(imageId, agentCommand, agentArgs, evacuationWindow, evacuationGrace,
                restartOverhead, scanRegions, receiveWait, eventBatch, agentStartTimeout, name, region,
                dataPrices, account);
    }

    /** The control plane's region, the default region of checkpoint buckets. */
    public ControllerConfig withRegion(String controlRegion) {
        return new ControllerConfig(imageId, agentCommand, agentArgs, evacuationWindow, evacuationGrace,
                restartOverhead, scanRegions, receiveWait, eventBatch, agentStartTimeout, schedulingPolicy,
                controlRegion, dataPrices, account);
    }

    /** The storage and transfer prices the ledger bills by. */
    public ControllerConfig withDataPrices(DataPrices prices) {
        return new ControllerConfig(imageId, agentCommand, agentArgs, evacuationWindow, evacuationGrace,
                restartOverhead, scanRegions, receiveWait, eventBatch, agentStartTimeout, schedulingPolicy, region,
                prices, account);
    }

    /** The control plane's AWS account, which events about its instances must name. */
    public ControllerConfig withAccount(String controlAccount) {
        return new ControllerConfig(imageId, agentCommand, agentArgs, evacuationWindow, evacuationGrace,
                restartOverhead, scanRegions, receiveWait, eventBatch, agentStartTimeout, schedulingPolicy, region,
                dataPrices, controlAccount);
    }
}
