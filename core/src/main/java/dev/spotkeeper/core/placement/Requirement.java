package dev.spotkeeper.core.placement;

/** One requirement a pool can fail; used to tell users which requirement removed the most pools. */
public enum Requirement {
    VCPUS("--vcpus (minimum vCPUs)"),
    MEMORY("--memory (minimum GiB)"),
    GPUS("--gpus (minimum GPUs)"),
    ARCHITECTURE("--arch"),
    FAMILY("--families (allowed families)"),
    EXCLUDED_FAMILY("--exclude-families"),
    TYPE("--types (allowed types)"),
    EXCLUDED_TYPE("--exclude-types"),
    REGION("--regions"),
    ZONE("--azs"),
    MAX_PRICE("--max-price");

    private final String option;

    Requirement(String option) {
        this.option = option;
    }

    /** The option a user sets for this requirement, as the CLI names it. */
    public String option() {
        return option;
    }
}
