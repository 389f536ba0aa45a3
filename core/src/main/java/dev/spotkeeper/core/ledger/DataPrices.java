package dev.spotkeeper.core.ledger;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What keeping and moving checkpoint bytes costs: S3 Standard storage per GB-month by region, and data transfer per
 * GB between two regions (within one region it is free).
 *
 * <p>The defaults come from AWS's public price lists: "Amazon S3 pricing" (S3 Standard, first 50 TB per month:
 * $0.023 per GB-month in US East (N. Virginia), US East (Ohio) and US West (Oregon)) and "Amazon EC2 On-Demand
 * Pricing", section "Data Transfer OUT From Amazon EC2 To Another AWS Region" (the same per-GB rates apply to S3's
 * transfer out to another region): $0.01 per GB between us-east-1 and us-east-2, $0.02 per GB between the other US
 * regions. A region the storage table does not list is priced as us-east-1; a pair of regions the transfer table
 * does not list is priced at $0.02 per GB, the rate out of US, Canadian and most European regions (some Asia
 * Pacific, South American, African and Middle Eastern regions charge more: pass your own table for those).
 *
 * <p>AWS bills a "GB" as 2^30 bytes, and storage by GB-month, prorated by the hour; a month here is 730 hours, the
 * figure the AWS Pricing Calculator uses.
 */
public final class DataPrices {
    /** Bytes in AWS's billing gigabyte. */
    public static final double GB = 1024.0 * 1024 * 1024;
    /** Hours in a billing month. */
    public static final double HOURS_PER_MONTH = 730;
    /**
     * Dollars per hour of one public IPv4 address, an Elastic IP included, associated or idle: AWS charges $0.005 per
     * IP per hour since 1 February 2024 ("Amazon VPC pricing", https://aws.amazon.com/vpc/pricing/, tab "Public IPv4
     * address"; announced in "New – AWS Public IPv4 Address Charge + Public IP Insights", AWS News Blog, July 2023).
     * The EC2 free tier's 750 hours a month in an account's first year are not taken off.
     */
    public static final double PUBLIC_IPV4_PER_HOUR = 0.005;

    private static final String DEFAULT_REGION = "us-east-1";
    private static final double DEFAULT_STORAGE = 0.023;
    private static final double DEFAULT_TRANSFER = 0.02;

    private final Map<String, Double> storagePerGbMonth;
    private final double defaultStoragePerGbMonth;
    private final Map<String, Double> transferPerGb;
    private final double defaultTransferPerGb;

    /**
     * @param storagePerGbMonth S3 Standard dollars per GB-month by region
     * @param defaultStoragePerGbMonth for regions the table does not list
     * @param transferPerGb dollars per GB by pair of regions, keyed {@link #pair(String, String)}; a pair listed in
     *     one direction is priced the same in the other unless that is listed too
     * @param defaultTransferPerGb for pairs of different regions the table does not list
     */
    public DataPrices(Map<String, Double> storagePerGbMonth, double defaultStoragePerGbMonth,
                      Map<String, Double> transferPerGb, double defaultTransferPerGb) {
        this.storagePerGbMonth = Map.copyOf(requireNonNull(storagePerGbMonth, "storagePerGbMonth is null"));
        this.transferPerGb = Map.copyOf(requireNonNull(transferPerGb, "transferPerGb is null"));
        this.defaultStoragePerGbMonth = defaultStoragePerGbMonth;
        this.defaultTransferPerGb = defaultTransferPerGb;
        checkPrice("default storage price", defaultStoragePerGbMonth);
        checkPrice("default transfer price", defaultTransferPerGb);
        this.storagePerGbMonth.forEach((region, price) -> checkPrice("storage price of " + region, price));
        this.transferPerGb.forEach((pair, price) -> checkPrice("transfer price of " + pair, price));
    }

    /** AWS's published prices for the US regions, as documented on the class. */
    public static DataPrices defaults() {
        Map<String, Double> storage = new LinkedHashMap<>();
        storage.put("us-east-1", DEFAULT_STORAGE);
        storage.put("us-east-2", DEFAULT_STORAGE);
        storage.put("us-west-2", DEFAULT_STORAGE);
        Map<String, Double> transfer = new LinkedHashMap<>();
        transfer.put(pair("us-east-1", "us-east-2"), 0.01);
        String[] us = {"us-east-1", "us-east-2", "us-west-1", "us-west-2"};
        for (int i = 0; i < us.length; i++) {
            for (int j = i + 1; j < us.length; j++) {
                transfer.putIfAbsent(pair(us[i], us[j]), DEFAULT_TRANSFER);
            }
        }
        return new DataPrices(storage, storage.get(DEFAULT_REGION), transfer, DEFAULT_TRANSFER);
    }

    /** The key of a transfer from {@code from} to {@code to} in the transfer table. */
    public static String pair(String from, String to) {
        return requireNonNull(from, "from is null") + ">" + requireNonNull(to, "to is null");
    }

    /** Dollars per GB-month of S3 Standard in the region. */
    public double storagePerGbMonth(String region) {
        return storagePerGbMonth.getOrDefault(requireNonNull(region, "region is null"), defaultStoragePerGbMonth);
    }

    /** Dollars per hour of keeping {@code bytes} in the region. */
    public double storagePerHour(long bytes, String region) {
        return gigabytes(bytes) * storagePerGbMonth(region) / HOURS_PER_MONTH;
    }

    /** Dollars per GB moved from one region to another; 0 within a region. */
    public double transferPerGb(String from, String to) {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (from.equals(to)) {
            return 0;
        }
        Double price = transferPerGb.get(pair(from, to));
        if (price == null) {
            price = transferPerGb.get(pair(to, from));
        }
        return price == null ? defaultTransferPerGb : price;
    }

    /** Dollars for moving {@code bytes} from one region to another. */
    public double transfer(long bytes, String from, String to) {
        return gigabytes(bytes) * transferPerGb(from, to);
    }

    /** Bytes in billing gigabytes (2^30 bytes). */
    public static double gigabytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
        }
        return bytes / GB;
    }

    private static void checkPrice(String what, double price) {
        if (!(price >= 0) || Double.isInfinite(price)) {
            throw new IllegalArgumentException(what + " must be a finite number of dollars >= 0, was " + price);
        }
    }
}
