package dev.spotkeeper.agent.database;

/**
 * MariaDB GTID positions ({@code domain-server-sequence}, a comma-separated list with one per domain). spotkeeper's
 * servers write one domain, 0, so a position is ordered by domain 0's sequence number.
 */
final class Gtids {
    private Gtids() {
    }

    /** Domain 0's sequence number in a position such as {@code 0-1-17}; 0 for an empty position. */
    static long sequence(String position) {
        long seq = 0;
        for (String gtid : position.strip().split(",")) {
            String[] parts = gtid.strip().split("-");
            if (parts.length == 3 && parts[0].equals("0")) {
                seq = Math.max(seq, Long.parseLong(parts[2]));
            }
        }
        return seq;
    }
}
