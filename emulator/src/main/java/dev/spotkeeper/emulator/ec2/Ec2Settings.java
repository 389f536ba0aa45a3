package dev.spotkeeper.emulator.ec2;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.market.MarketSnapshot;
import dev.spotkeeper.emulator.EmulatorCredentials;
import java.time.Duration;

/**
 * How the emulated EC2 behaves.
 *
 * @param market the snapshot whose pools the market starts from
 * @param traces whether the shipped p3.2xlarge traces replace the snapshot's pools in their nine zones
 * @param bootDelay how long an instance stays pending (emulator clock)
 * @param vcpuQuota vCPUs of live instances allowed per market (spot and on-demand counted apart, as AWS does)
 * @param scaleWarning whether the two-minute warning shrinks with the time scale (false: always two real minutes)
 * @param marketStep market time covered by one market step
 * @param credentials what instances get as AWS credentials
 * @param modelInstances whether instances are models only: they boot to running with no IMDS server and no process
 *                       (their user data is not run), so a market can hold thousands of them (benchmark B6)
 */
public record Ec2Settings(MarketSnapshot market, boolean traces, Duration bootDelay, int vcpuQuota,
                          boolean scaleWarning, Duration marketStep, EmulatorCredentials credentials,
                          boolean modelInstances) {
    public static final Duration DEFAULT_BOOT_DELAY = Duration.ofSeconds(3);
    public static final int DEFAULT_VCPU_QUOTA = 256;
    public static final Duration WARNING = Duration.ofMinutes(2);

    public Ec2Settings {
        requireNonNull(market, "market is null");
        requireNonNull(bootDelay, "bootDelay is null");
        requireNonNull(marketStep, "marketStep is null");
        requireNonNull(credentials, "credentials is null");
        if (bootDelay.isNegative()) {
            throw new IllegalArgumentException("boot delay must not be negative: " + bootDelay);
        }
        if (vcpuQuota < 1) {
            throw new IllegalArgumentException("vCPU quota must be positive: " + vcpuQuota);
        }
        if (marketStep.isZero() || marketStep.isNegative()) {
            throw new IllegalArgumentException("market step must be positive: " + marketStep);
        }
    }

    /** Instances as processes, each with its IMDS. */
    public Ec2Settings(MarketSnapshot market, boolean traces, Duration bootDelay, int vcpuQuota, boolean scaleWarning,
                       Duration marketStep, EmulatorCredentials credentials) {
        this(market, traces, bootDelay, vcpuQuota, scaleWarning, marketStep, credentials, false);
    }

    /** The lead time of an interruption warning in emulator time at {@code timeScale}. */
    public Duration warning(double timeScale) {
        return scaleWarning ? Duration.ofNanos((long) (WARNING.toNanos() / timeScale)) : WARNING;
    }
}
