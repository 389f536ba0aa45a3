package dev.spotkeeper.core.policy;

/**
 * What a policy knows about spot in one zone at the current tick. A controller on a real cloud learns it only
 * by holding an instance there or by asking for one (a launch that is refused or that succeeds and is billed);
 * prices are public, availability is not.
 */
public enum SpotAvailability {
    /** Spot can be had there now: the job holds a spot instance in the zone, or the market is shown in full. */
    AVAILABLE,
    /** Spot cannot be had there now: the held instance was reclaimed, or a launch there was refused this tick. */
    UNAVAILABLE,
    /** Nobody asked this tick: only a launch attempt can tell. */
    UNKNOWN
}
