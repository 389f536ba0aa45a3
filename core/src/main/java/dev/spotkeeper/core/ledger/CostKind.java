package dev.spotkeeper.core.ledger;

/** What a ledger entry paid for. */
public enum CostKind {
    SPOT,
    ON_DEMAND,
    STORAGE,
    TRANSFER,
    /** A service's stable endpoint, a public IPv4 address billed by the hour from allocation to release. */
    ELASTIC_IP;

    public boolean isCompute() {
        return this == SPOT || this == ON_DEMAND;
    }
}
