package dev.spotkeeper.core.policy;

/**
 * What it costs to start an instance whose checkpoint must come from another place. A start always costs the
 * restart overhead; a start in another region also pays egress for the checkpoint and the extra transfer time.
 */
public interface MoveCosts {
    /**
     * Dollars of egress to bring the checkpoint from {@code fromRegion} to {@code toRegion}; 0 within a region
     * and when {@code fromRegion} is null (no checkpoint yet).
     */
    double egressDollars(String fromRegion, String toRegion);

    /**
     * Billed hours without progress when an instance in {@code toRegion} starts from a checkpoint in
     * {@code fromRegion} (null: no checkpoint yet): the restart overhead plus any cross-region transfer time.
     */
    double startOverheadHours(String fromRegion, String toRegion);

    /**
     * {@link #startOverheadHours(String, String)} for a start that can begin only {@code delayHours} from now
     * (after refused launches, say). The default adds the delay; a model that counts time in whole ticks rounds.
     */
    default double startOverheadHours(String fromRegion, String toRegion, double delayHours) {
        return startOverheadHours(fromRegion, toRegion) + delayHours;
    }
}
