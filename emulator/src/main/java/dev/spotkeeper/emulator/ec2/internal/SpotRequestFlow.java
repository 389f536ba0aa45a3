package dev.spotkeeper.emulator.ec2.internal;

import java.time.Instant;

/**
 * Evaluates the open spot requests on every tick, as EC2 keeps evaluating them (EC2 User Guide, "State changes
 * for a Spot request"): past its ValidUntil a request is {@code cancelled / schedule-expired}; one that can launch
 * becomes {@code active / fulfilled} with its instance; one that cannot stays {@code open} with the holding code
 * that says why ({@code price-too-low}, {@code capacity-not-available}), and is tried again on the next tick; a
 * specification no zone can ever take (a type not offered there) is {@code failed / bad-parameters}.
 */
final class SpotRequestFlow {
    private final Ec2Backend backend;

    SpotRequestFlow(Ec2Backend backend) {
        this.backend = backend;
    }

    void evaluate(Instant now) {
        for (SpotRequest r : backend.spotRequests()) {
            if (!r.isOpen()) {
                continue;
            }
            synchronized (r) {
                // A cancel between the look above and what follows must win: nothing launches for it, and its
                // status is not overwritten by an expiry or a holding code.
                if (!r.isOpen()) {
                    continue;
                }
                if (r.validUntil != null && now.isAfter(r.validUntil)) {
                    r.status("cancelled", "schedule-expired", "Your Spot request has expired without being fulfilled.",
                            now);
                    continue;
                }
                try {
                    backend.fulfil(r);
                } catch (Ec2Error e) {
                    hold(r, e, now);
                }
            }
        }
    }

    private static void hold(SpotRequest r, Ec2Error e, Instant now) {
        switch (e.code()) {
            case "SpotMaxPriceTooLow" -> r.status(null, "price-too-low", e.getMessage(), now);
            case "InsufficientInstanceCapacity", "VcpuLimitExceeded" ->
                    r.status(null, "capacity-not-available", e.getMessage(), now);
            default -> r.status("failed", "bad-parameters", e.getMessage(), now);
        }
    }
}
