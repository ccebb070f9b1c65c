package io.herald.transport;

import java.util.List;

/**
 * Consumes a batch of tasks. Returning normally means every outcome is stored and the transport may
 * acknowledge the batch; throwing means none is, and the transport delivers the batch again.
 */
@FunctionalInterface
public interface DeliveryHandler {
    void handle(List<DeliveryTask> batch);
}
