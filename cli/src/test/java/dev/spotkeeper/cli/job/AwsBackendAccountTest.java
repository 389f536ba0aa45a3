package dev.spotkeeper.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AwsBackendAccountTest {
    @Test
    void account_isReadFromTheQueueUrl_asSqsFormsIt() {
        assertThat(AwsBackend.accountOf("https://sqs.us-east-1.amazonaws.com/123456789012/spotkeeper-events"))
                .isEqualTo("123456789012");
        assertThat(AwsBackend.accountOf("https://vpce-1a2b3c4d.sqs.us-east-1.vpce.amazonaws.com/210987654321/q"))
                .isEqualTo("210987654321");
    }

    @Test
    void aQueueUrlOfAnotherForm_leavesTheAccountUnknown() {
        assertThat(AwsBackend.accountOf("http://127.0.0.1:9324/queue/spotkeeper-events")).isEmpty();
        assertThat(AwsBackend.accountOf("https://sqs.us-east-1.amazonaws.com/")).isEmpty();
    }
}
