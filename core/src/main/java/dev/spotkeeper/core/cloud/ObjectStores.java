package dev.spotkeeper.core.cloud;

import dev.spotkeeper.core.checkpoint.ObjectStore;

/**
 * Object storage by bucket: the controller leaves each instance its agent spec in the workload's checkpoint bucket,
 * whichever bucket that is.
 */
@FunctionalInterface
public interface ObjectStores {
    /** The store of {@code bucket}, keys relative to it. */
    ObjectStore bucket(String bucket);
}
