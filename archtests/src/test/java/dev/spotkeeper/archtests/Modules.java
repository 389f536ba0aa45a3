package dev.spotkeeper.archtests;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The modules, each one top-level package under {@code dev.spotkeeper}, and the modules each may use. */
final class Modules {
    static final List<String> ALL = List.of("core", "testkit", "sim", "awsclient", "aws", "agent", "spec", "emulator",
            "controller", "notify", "plane", "lambda", "deploy", "cli", "bench");

    private Modules() {
    }

    /** {@code dev.spotkeeper.NAME..} */
    static String pkg(String module) {
        return "dev.spotkeeper." + module + "..";
    }

    /** The module a class belongs to: the package segment after {@code dev.spotkeeper}, or empty. */
    static String of(String packageName) {
        if (!packageName.startsWith("dev.spotkeeper.")) {
            return "";
        }
        String rest = packageName.substring("dev.spotkeeper.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** Every module's package but {@code module}'s own and the {@code allowed} ones. */
    static String[] forbiddenFor(String module, String... allowed) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : ALL) {
            if (!m.equals(module) && !List.of(allowed).contains(m)) {
                out.add(pkg(m));
            }
        }
        return out.toArray(String[]::new);
    }
}
