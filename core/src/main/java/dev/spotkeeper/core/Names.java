package dev.spotkeeper.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Suggestions of the nearest valid names for a misspelt one ("did you mean …"). */
public final class Names {
    private Names() {
    }

    /** Up to {@code limit} names from {@code valid} closest to {@code wrong} by edit distance, closest first. */
    public static List<String> nearest(String wrong, Collection<String> valid, int limit) {
        String w = wrong.toLowerCase(Locale.ROOT);
        List<String> sorted = new ArrayList<>(valid);
        sorted.sort(Comparator.comparingInt((String v) -> distance(w, v.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
        int max = Math.max(2, w.length() / 2);
        List<String> out = new ArrayList<>();
        for (String v : sorted) {
            if (out.size() >= limit || distance(w, v.toLowerCase(Locale.ROOT)) > max) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    /** " (did you mean a, b or c?)" or "" when nothing is close. */
    public static String didYouMean(String wrong, Collection<String> valid) {
        List<String> near = nearest(wrong, valid, 3);
        if (near.isEmpty()) {
            return "";
        }
        if (near.size() == 1) {
            return " (did you mean " + near.get(0) + "?)";
        }
        return " (did you mean " + String.join(", ", near.subList(0, near.size() - 1)) + " or "
                + near.get(near.size() - 1) + "?)";
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
