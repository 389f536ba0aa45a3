package dev.spotkeeper.bench;

import dev.spotkeeper.agent.AgentClients;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Proxy on 127.0.0.1 over a filesystem blob store, with credentials generated for this run only. */
final class S3ProxyServer implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    final String accessKey;
    final String secretKey;

    S3ProxyServer(Path baseDir) throws Exception {
        SecureRandom random = new SecureRandom();
        accessKey = "AKBENCH" + HexFormat.of().withUpperCase().formatHex(random.generateSeed(6));
        secretKey = HexFormat.of().formatHex(random.generateSeed(20));
        Files.createDirectories(baseDir);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        context = ContextBuilder.newBuilder("filesystem-nio2").credentials("local", "local").overrides(properties)
                .build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // The SDK adds checksum headers to some calls (DeleteObjects) that S3Proxy does not know.
                .ignoreUnknownHeaders(true).build();
        try {
            proxy.start();
        } catch (IOException e) {
            context.close();
            throw e;
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    S3Client client() {
        return AgentClients.s3(Map.of("AWS_ENDPOINT_URL", endpoint(), "AWS_REGION", "us-east-1"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
