package dev.spotkeeper.emulator.services;

import static java.util.Objects.requireNonNull;

import dev.spotkeeper.core.SpotkeeperException;
import java.util.regex.Pattern;

/**
 * Settings of the emulator's service half.
 *
 * @param region           the region events and ARNs name
 * @param accountId        the emulator's fake 12-digit account, used in event envelopes and ARNs
 * @param eventQueueName   the SQS queue EventBridge-style events are delivered to
 * @param persistentS3     true keeps S3 objects in files under the work directory, false keeps them in memory
 * @param persistentDynamoDb true keeps DynamoDB's tables in a file under the work directory, false in memory
 * @param scheduleRateScale EventBridge's {@code rate(...)} schedules fire this many times as often (emulator only, for
 *                          tests; 1, the default, is AWS's pace; {@code cron(...)} schedules are not scaled)
 */
public record ServicesOptions(String region, String accountId, String eventQueueName, boolean persistentS3,
                              boolean persistentDynamoDb, double scheduleRateScale) {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    public static final String DEFAULT_REGION = "us-east-1";
    public static final String DEFAULT_ACCOUNT = "123456789012";
    public static final String DEFAULT_EVENT_QUEUE = "spotkeeper-events";

    public ServicesOptions {
        requireNonNull(region, "region is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(eventQueueName, "eventQueueName is null");
        if (!ACCOUNT.matcher(accountId).matches()) {
            throw SpotkeeperException.invalidArgument("account id '" + accountId + "' must be 12 digits, e.g. "
                    + DEFAULT_ACCOUNT);
        }
        if (!QUEUE_NAME.matcher(eventQueueName).matches()) {
            throw SpotkeeperException.invalidArgument("event queue name '" + eventQueueName
                    + "' must be 1-80 letters, digits, '-' or '_'");
        }
        if (!(scheduleRateScale >= 1) || Double.isInfinite(scheduleRateScale)) {
            throw SpotkeeperException.invalidArgument("schedule rate scale " + scheduleRateScale
                    + " must be a number of at least 1, e.g. 12 (rate(1 minute) every 5 seconds)");
        }
        if (region.isBlank()) {
            throw SpotkeeperException.invalidArgument("region must not be blank, e.g. " + DEFAULT_REGION);
        }
    }

    public static ServicesOptions defaults() {
        return new ServicesOptions(DEFAULT_REGION, DEFAULT_ACCOUNT, DEFAULT_EVENT_QUEUE, true, false, 1);
    }

    public ServicesOptions withRegion(String newRegion) {
        return new ServicesOptions(newRegion, accountId, eventQueueName, persistentS3, persistentDynamoDb,
                scheduleRateScale);
    }

    public ServicesOptions withAccountId(String newAccountId) {
        return new ServicesOptions(region, newAccountId, eventQueueName, persistentS3, persistentDynamoDb,
                scheduleRateScale);
    }

    public ServicesOptions withEventQueueName(String newQueueName) {
        return new ServicesOptions(region, accountId, newQueueName, persistentS3, persistentDynamoDb,
                scheduleRateScale);
    }

    public ServicesOptions withPersistentS3(boolean persistent) {
        return new ServicesOptions(region, accountId, eventQueueName, persistent, persistentDynamoDb,
                scheduleRateScale);
    }

    public ServicesOptions withPersistentDynamoDb(boolean persistent) {
        return new ServicesOptions(region, accountId, eventQueueName, persistentS3, persistent,
                scheduleRateScale);
    }

    public ServicesOptions withScheduleRateScale(double scale) {
        return new ServicesOptions(region, accountId, eventQueueName, persistentS3, persistentDynamoDb, scale);
    }
}
