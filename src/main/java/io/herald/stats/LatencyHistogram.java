package io.herald.stats;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;

import org.HdrHistogram.Histogram;

/** Encodes latency histograms for storage; percentiles come from the histogram, never from sorting messages. */
final class LatencyHistogram {
    /** One hour; slower deliveries are recorded as one hour. */
    static final long MAX_MS = 3_600_000L;

    private LatencyHistogram() {
    }

    static Histogram empty() {
        return new Histogram(MAX_MS, 2);
    }

    static Histogram decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return empty();
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        } catch (DataFormatException e) {
            throw new IllegalStateException("stored latency histogram is corrupt", e);
        }
    }

    static byte[] encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    static void record(Histogram histogram, long latencyMs) {
        histogram.recordValue(Math.max(0, Math.min(MAX_MS, latencyMs)));
    }
}
