package dev.spotkeeper.agent;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Proxy on 127.0.0.1 over a filesystem blob store in a temporary directory, with credentials made up per run. */
public final class LocalS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final String accessKey = "AK" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    private final String secretKey = UUID.randomUUID().toString();

    public LocalS3(Path baseDir) throws Exception {
        java.nio.file.Files.createDirectories(baseDir);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        context = ContextBuilder.newBuilder(System.getProperty("s3provider", "filesystem-nio2")).credentials("local", "local").overrides(properties)
                .build(BlobStoreContext.class);
        BlobStore blobStore = context.getBlobStore();
        proxy = S3Proxy.builder().blobStore(blobStore).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                // The SDK adds checksum headers to some calls (DeleteObjects) that S3Proxy does not know.
                .ignoreUnknownHeaders(true).build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.onSpinWait();
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    public S3Client client() {
        return AgentClients.s3(Map.of("AWS_ENDPOINT_URL", endpoint(), "AWS_REGION", "us-east-1"), credentials());
    }

    public S3Client createBucket(String bucket) {
        S3Client client = client();
        client.createBucket(b -> b.bucket(bucket));
        return client;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
