package io.herald.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of tasks on a broker: fixed 28-byte records (message id, campaign id, recipient id,
 * attempt), concatenated when one broker message carries several tasks. Compact and schema-free on
 * purpose: the message row in the database holds everything else.
 */
final class TaskCodec {
    static final int RECORD_BYTES = 8 + 8 + 8 + 4;

    private TaskCodec() {
    }

    static byte[] encode(DeliveryTask task) {
        return encode(List.of(task));
    }

    static byte[] encode(List<DeliveryTask> tasks) {
        ByteBuffer buffer = ByteBuffer.allocate(tasks.size() * RECORD_BYTES);
        for (DeliveryTask t : tasks) {
            buffer.putLong(t.messageId()).putLong(t.campaignId()).putLong(t.recipientId()).putInt(t.attempt());
        }
        return buffer.array();
    }

    /** Decodes a payload; throws {@link IllegalArgumentException} if it is not a whole number of records. */
    static List<DeliveryTask> decode(byte[] payload) {
        if (payload == null || payload.length == 0 || payload.length % RECORD_BYTES != 0) {
            throw new IllegalArgumentException("not a task payload (" + (payload == null ? 0 : payload.length) + " bytes)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        List<DeliveryTask> tasks = new ArrayList<>(payload.length / RECORD_BYTES);
        while (buffer.hasRemaining()) {
            tasks.add(new DeliveryTask(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getInt()));
        }
        return tasks;
    }
}
