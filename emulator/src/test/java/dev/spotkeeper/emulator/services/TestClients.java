package dev.spotkeeper.emulator.services;

import java.net.URI;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.fis.FisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients pointed at an emulator endpoint with credentials generated per run. */
final class TestClients {
    static final String REGION = "eu-west-1";
    /** Routes a hand-made request to S3 at the edge (signatures are not checked), as a client that sets few headers. */
    static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/" + REGION
            + "/s3/aws4_request, SignedHeaders=host, Signature=0";
    final String accessKey = "AKID" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    final String secretKey = UUID.randomUUID().toString();
    private final URI endpoint;

    TestClients(URI endpoint) {
        this.endpoint = endpoint;
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    S3Client s3() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentials())
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create()).build();
    }

    SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    FisClient fis() {
        return FisClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    SnsClient sns() {
        return SnsClient.builder().endpointOverride(endpoint).region(Region.of(REGION)).credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    EventBridgeClient eventBridge() {
        return EventBridgeClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
