package io.herald.audience;

/**
 * The emails and phones already seen in one import, as 64-bit hashes in an open-addressing table:
 * about 16 bytes per key instead of a String and a map entry, so a multi-million-row file can be
 * de-duplicated without holding its contents. (Two different keys sharing a 64-bit hash is
 * astronomically unlikely at these sizes; the cost would be one row reported as a duplicate.)
 */
final class KeySet {
    private long[] slots = new long[1 << 12];
    private int size;
    private boolean hasZero;

    /** Adds the key of the given kind (e.g. 'e' for emails, 'p' for phones); false if it was already there. */
    boolean add(char kind, String key) {
        long h = hash(kind, key);
        if (h == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        return insert(slots, h);
    }

    boolean contains(char kind, String key) {
        long h = hash(kind, key);
        if (h == 0) {
            return hasZero;
        }
        int mask = slots.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == 0) {
                return false;
            }
            if (slots[i] == h) {
                return true;
            }
        }
    }

    private boolean insert(long[] table, long h) {
        int mask = table.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            if (table[i] == 0) {
                table[i] = h;
                if (table == slots) {
                    size++;
                }
                return true;
            }
            if (table[i] == h) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        long[] bigger = new long[old.length * 2];
        for (long h : old) {
            if (h != 0) {
                int mask = bigger.length - 1;
                int i = mix(h) & mask;
                while (bigger[i] != 0) {
                    i = (i + 1) & mask;
                }
                bigger[i] = h;
            }
        }
        slots = bigger;
    }

    private static int mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    /** FNV-1a over the kind and the key's UTF-16 chars (no copy of the key), finished with a murmur mix. */
    static long hash(char kind, String key) {
        long h = (0xcbf29ce484222325L ^ kind) * 0x100000001b3L;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            h = (h ^ (c & 0xff)) * 0x100000001b3L;
            h = (h ^ (c >>> 8)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
