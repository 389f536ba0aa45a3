package dev.spotkeeper.emulator.ec2.internal;

import java.util.List;

/** One page of a long answer: {@code NextToken} is the index of the next item. */
record Page<T>(List<T> items, String nextToken) {
    static <T> Page<T> of(List<T> all, QueryParams p, int defaultSize) {
        int size = p.integer("MaxResults", defaultSize);
        if (size < 1) {
            throw Ec2Error.invalid("Invalid value '" + size + "' for MaxResults: it must be at least 1.");
        }
        int start;
        try {
            start = p.get("NextToken").map(Integer::parseInt).orElse(0);
        } catch (NumberFormatException e) {
            throw Ec2Error.client("InvalidNextToken", "The token '" + p.get("NextToken").orElse("") + "' is invalid.");
        }
        if (start < 0 || start > all.size()) {
            throw Ec2Error.client("InvalidNextToken", "The token '" + start + "' is invalid.");
        }
        int end = Math.min(all.size(), start + size);
        return new Page<>(List.copyOf(all.subList(start, end)), end < all.size() ? Integer.toString(end) : null);
    }
}
