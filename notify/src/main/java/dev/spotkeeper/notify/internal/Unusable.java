package dev.spotkeeper.notify.internal;

import dev.spotkeeper.notify.Delivery;
import dev.spotkeeper.notify.Message;
import dev.spotkeeper.notify.Notifier;

/** A sink that cannot be used as configured (a reference that is not set): every send says why. */
record Unusable(String describe, String why) implements Notifier {
    @Override
    public Delivery send(Message message) {
        return Delivery.refused(why);
    }
}
