package dev.tandem.port;

/**
 * The store refused a write because an item would pass its size limit (DynamoDB: 400 KB an item, 2 KB a partition
 * key, 1 KB a sort key). It concerns the one item: the sweep settles that run with a reason and goes on.
 */
public final class ItemTooLargeException extends RuntimeException {
    public ItemTooLargeException(String message) {
        super(message, null, false, false);
    }
}
