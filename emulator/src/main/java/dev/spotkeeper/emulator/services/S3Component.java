package dev.spotkeeper.emulator.services;

import dev.spotkeeper.emulator.services.internal.HttpForwarder;
import dev.spotkeeper.emulator.services.internal.QuietLogs;
import dev.spotkeeper.emulator.services.internal.S3EdgeHandler;
import dev.spotkeeper.emulator.spi.EmulatorComponent;
import dev.spotkeeper.emulator.spi.EmulatorContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * Embedded S3 (S3Proxy over a jclouds blob store) on an ephemeral 127.0.0.1 port, reachable through the edge
 * under the signing name {@code s3}. Signatures are not checked: the emulator holds no secrets worth guarding
 * and the SDK signs a Host header the relay cannot keep.
 */
public final class S3Component implements EmulatorComponent {
    private final ServicesOptions options;
    private BlobStoreContext blobStoreContext;
    private S3Proxy proxy;
    private URI direct;
    private URI edge;
    private Path storage;

    public S3Component(ServicesOptions options) {
        this.options = options;
    }

    @Override
    public void start(EmulatorContext context) throws Exception {
        QuietLogs.apply();
        Properties properties = new Properties();
        ContextBuilder builder;
        if (options.persistentS3()) {
            storage = context.workDirectory().resolve("s3");
            Files.createDirectories(storage);
            properties.setProperty("jclouds.filesystem.basedir", storage.toString());
            builder = ContextBuilder.newBuilder("filesystem");
        } else {
            builder = ContextBuilder.newBuilder("transient");
        }
        blobStoreContext = builder.credentials("identity", "credential").overrides(properties)
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(blobStoreContext.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, null, null)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        direct = URI.create("http://127.0.0.1:" + proxy.getPort());
        edge = context.endpoint();
        Path files = storage == null ? null : storage.toAbsolutePath().normalize();
        context.register(files == null ? new S3EdgeHandler(new HttpForwarder(direct))
                : new S3EdgeHandler(new HttpForwarder(direct), (bucket, key) -> isPhantom(files, bucket, key)));
    }

    /**
     * The file store keeps {@code a/b/c} in directories {@code a/} and {@code a/b/} and lists them as keys. A
     * directory is an object a client put ({@code marker/}) only when the store gave it attributes (its content
     * type); the ones it made for deeper keys have none.
     */
    static boolean isPhantom(Path storage, String bucket, String key) {
        Path dir = storage.resolve(bucket).resolve(key).normalize();
        if (!dir.startsWith(storage) || !Files.isDirectory(dir)) {
            return false;
        }
        try {
            UserDefinedFileAttributeView attributes = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class);
            return attributes == null || attributes.list().isEmpty();
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    /** The embedded server's own endpoint (bypassing the edge). */
    public URI directEndpoint() {
        return direct;
    }

    @Override
    public List<String> describe() {
        return List.of("S3:        " + edge + " (path-style; direct " + direct + ", objects "
                + (storage == null ? "in memory" : "in " + storage) + ")");
    }

    @Override
    public void close() {
        try {
            if (proxy != null) {
                proxy.stop();
            }
        } catch (Exception e) {
            // stopping is best effort: the port dies with the process anyway
        } finally {
            if (blobStoreContext != null) {
                blobStoreContext.close();
            }
            proxy = null;
            blobStoreContext = null;
        }
    }
}
