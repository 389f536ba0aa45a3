package dev.spotkeeper.emulator;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;

/**
 * The access key the emulator hands out (to users and to its instances). Generated afresh at every start, so no
 * key is ever written into code or files; the emulator does not check signatures, it only routes by them.
 */
public record EmulatorCredentials(String accessKeyId, String secretAccessKey) {
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String ANY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";

    public EmulatorCredentials {
        requireNonNull(accessKeyId, "accessKeyId is null");
        requireNonNull(secretAccessKey, "secretAccessKey is null");
    }

    public static EmulatorCredentials generate(SecureRandom random) {
        return new EmulatorCredentials("AKIA" + draw(random, UPPER, 16), draw(random, ANY, 40));
    }

    private static String draw(SecureRandom random, String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "EmulatorCredentials[" + accessKeyId + ", secret hidden]";
    }
}
