package io.herald.template;

import java.io.Writer;
import java.util.Iterator;

/**
 * Bounds one rendering in time and size, whatever the variables: sections iterate at most {@link #MAX_ITERATIONS}
 * times in all (nested sections over lists multiply: 35 levels over a 3-element list would be 3^35 iterations), and
 * the text stops growing at {@link #MAX_CHARS}. Herald's own variables are strings, so real messages never come near
 * either; the bounds keep a template from turning odd variables into a hang or an OutOfMemoryError.
 */
final class RenderBudget {
    static final int MAX_ITERATIONS = 10_000;
    static final int MAX_CHARS = 1_000_000;
    private static final ThreadLocal<int[]> ITERATIONS_LEFT = new ThreadLocal<>();

    private RenderBudget() {
    }

    static void start() {
        ITERATIONS_LEFT.set(new int[]{MAX_ITERATIONS});
    }

    static void end() {
        ITERATIONS_LEFT.remove();
    }

    /** Iterates {@code items} while the current rendering has iterations left; as it is outside a rendering. */
    static <T> Iterator<T> limit(Iterator<T> items) {
        int[] left = ITERATIONS_LEFT.get();
        if (items == null || left == null) {
            return items;
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return left[0] > 0 && items.hasNext();
            }

            @Override
            public T next() {
                left[0]--;
                return items.next();
            }
        };
    }

    /** Collects text up to {@link #MAX_CHARS}; the rest is dropped. */
    static final class BoundedWriter extends Writer {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void write(char[] chars, int offset, int length) {
            int room = MAX_CHARS - text.length();
            if (room > 0) {
                text.append(chars, offset, Math.min(room, length));
            }
        }

        @Override
        public void write(String string, int offset, int length) {
            int room = MAX_CHARS - text.length();
            if (room > 0) {
                text.append(string, offset, offset + Math.min(room, length));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
