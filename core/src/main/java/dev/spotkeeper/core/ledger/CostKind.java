package dev.spotkeeper.core.ledger;

/** What a ledger entry paid for. */
public enum CostKind {
    SPOT,
    ON_DEMAND,
    STORAGE,
    TRANSFER;

    public boolean isCompute() {
        return this == SPOT || this == ON_DEMAND;
    }
}
