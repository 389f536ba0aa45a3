package dev.spotkeeper.cli.replay;

import dev.spotkeeper.core.ErrorCode;
import dev.spotkeeper.core.SpotkeeperException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Writes result files whole: each to a temporary name first, then renamed, so a reader never sees half a file. */
final class Files {
    record Output(String name, String text) {
    }

    private Files() {
    }

    static List<Path> writeAll(Path dir, List<Output> outputs) {
        List<Path> written = new ArrayList<>();
        try {
            java.nio.file.Files.createDirectories(dir);
            for (Output o : outputs) {
                Path path = dir.resolve(o.name());
                Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
                java.nio.file.Files.writeString(tmp, o.text(), StandardCharsets.UTF_8);
                java.nio.file.Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                written.add(path);
            }
        } catch (IOException e) {
            throw SpotkeeperException.of(ErrorCode.INVALID_ARGUMENT, "cannot write the results to " + dir + ": "
                    + e.getMessage() + "; choose another folder with --out", e);
        }
        return written;
    }
}
