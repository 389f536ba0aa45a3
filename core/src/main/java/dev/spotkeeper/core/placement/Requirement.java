package dev.spotkeeper.core.placement;

/** One requirement a pool can fail; used to tell users which requirement removed the most pools. */
public enum Requirement {
    VCPUS("--vcpus (minimum vCPUs)", "requirements.vcpus"),
    MEMORY("--memory (minimum GiB)", "requirements.memory"),
    GPUS("--gpus (minimum GPUs)", "requirements.gpus"),
    ARCHITECTURE("--arch", "requirements.arch"),
    FAMILY("--families (allowed families)", "requirements.families"),
    EXCLUDED_FAMILY("--exclude-families", "requirements.excludeFamilies"),
    TYPE("--types (allowed types)", "requirements.types"),
    EXCLUDED_TYPE("--exclude-types", "requirements.excludeTypes"),
    REGION("--regions", "requirements.regions"),
    ZONE("--azs", "requirements.azs"),
    MAX_PRICE("--max-price", "maxPrice");

    private final String option;
    private final String specKey;

    Requirement(String option, String specKey) {
        this.option = option;
        this.specKey = specKey;
    }

    /** The option a user sets for this requirement, as the CLI names it. */
    public String option() {
        return option;
    }

    /** The key that sets this requirement in a workload file ({@code requirements.vcpus}, {@code maxPrice}). */
    public String specKey() {
        return specKey;
    }
}
