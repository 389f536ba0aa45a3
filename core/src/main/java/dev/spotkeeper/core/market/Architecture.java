package dev.spotkeeper.core.market;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.Locale;

/** The processor architecture of an instance type, named as EC2 names it. */
public enum Architecture {
    X86_64("x86_64"),
    ARM64("arm64");

    private final String awsName;

    Architecture(String awsName) {
        this.awsName = awsName;
    }

    public String awsName() {
        return awsName;
    }

    public static Architecture parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "x86_64", "x86-64", "amd64", "x86" -> X86_64;
            case "arm64", "aarch64", "arm" -> ARM64;
            default -> throw SpotkeeperException.invalidArgument(
                    "unknown architecture '" + text + "'; use x86_64 or arm64");
        };
    }

    /**
     * EC2 marks Graviton families with a 'g' after the generation digit (m6g, c7gn, x2gd, is4gen, g5g); a1 is
     * the first Graviton. Every other family in the Spot Advisor catalog is x86_64.
     */
    public static Architecture ofInstanceType(String instanceType) {
        String family = InstanceType.familyOf(instanceType);
        if (family.equals("a1")) {
            return ARM64;
        }
        int i = 0;
        while (i < family.length() && !Character.isDigit(family.charAt(i))) {
            i++;
        }
        while (i < family.length() && Character.isDigit(family.charAt(i))) {
            i++;
        }
        return family.indexOf('g', i) >= 0 ? ARM64 : X86_64;
    }

    @Override
    public String toString() {
        return awsName;
    }
}
