package io.respire.server.commands;

import io.respire.ds.hash.HashValue;
import io.respire.ds.list.QuickList;
import io.respire.ds.set.SetValue;
import io.respire.ds.util.Doubles;
import io.respire.ds.zset.ZSetValue;
import io.respire.protocol.Reply;
import io.respire.server.Client;
import io.respire.server.CommandError;
import io.respire.server.Errors;
import io.respire.server.command.Args;
import io.respire.server.command.CommandTable;
import io.respire.server.keyspace.Keys;
import io.respire.server.keyspace.StringValues;
import io.respire.server.keyspace.Writes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO (Redis's sort.c) over lists, sets and sorted sets:
 * {@code SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC] [ALPHA] [STORE dst]}.
 *
 * <p>Orders that Redis leaves to its sort algorithms are reproduced: elements with equal weights
 * keep their input order under a full sort (glibc's qsort, a stable merge sort), and follow
 * {@link PartialQuickSort} when BY is combined with a LIMIT (Redis's pqsort). Without STORE,
 * ALPHA compares with strcoll, which in the C/POSIX/C.UTF-8 locales Redis normally runs under
 * is byte order up to the first NUL byte; with STORE it compares the whole binary strings.
 * Other collation locales are not emulated.
 *
 * <p>BY and GET patterns need read access to every key (ACL); not applicable yet: their cluster refusal.
 */
public final class SortCommands {
    private SortCommands() {
    }

    static void register(CommandTable table) {
        table.register("sort", c -> sortGeneric(c, false));
        table.register("sort_ro", c -> sortGeneric(c, true));
    }

    private static final String NOT_A_DOUBLE = "ERR One or more scores can't be converted into double";

    /**
     * One element to sort and what it is ordered by (Redis's redisSortObject): a numeric weight,
     * or for ALPHA with BY the looked-up string (null when there is none).
     */
    private static final class Item {
        final byte[] element;
        double score;
        byte[] alphaWeight;

        Item(byte[] element) {
            this.element = element;
        }
    }

    /** The options of one SORT call, as given (Redis parses them all before looking at the key). */
    private static final class Options {
        boolean desc;
        boolean alpha;
        /** BY a pattern without '*': the elements keep their own order. */
        boolean dontSort;
        long limitStart;
        long limitCount = -1;
        byte[] sortBy;
        byte[] storeKey;
        final List<byte[]> gets = new ArrayList<>();
    }

    /**
     * Whether the user may read any key with this command (BY and GET patterns name keys that no
     * key spec shows to the ACL check): Redis's ACLUserCheckCmdWithUnrestrictedKeyAccess.
     */
    private static boolean readsEveryKey(Client c) {
        return c.user().unrestricted() || c.user().allowsCommandOnAllKeys(c.command(), c.argv(), true, false);
    }

    private static Options parse(Client c, boolean readOnly) {
        Options o = new Options();
        for (int j = 2; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (c.argIs(j, "ASC")) {
                o.desc = false;
            } else if (c.argIs(j, "DESC")) {
                o.desc = true;
            } else if (c.argIs(j, "ALPHA")) {
                o.alpha = true;
            } else if (c.argIs(j, "LIMIT") && left >= 2) {
                o.limitStart = Args.longArg(c, j + 1);
                o.limitCount = Args.longArg(c, j + 2);
                j += 2;
            } else if (!readOnly && c.argIs(j, "STORE") && left >= 1) {
                o.storeKey = c.arg(++j);
            } else if (c.argIs(j, "BY") && left >= 1) {
                o.sortBy = c.arg(++j);
                // As in Redis, a later BY with a real pattern does not undo a constant one.
                if (cIndexOf(o.sortBy, (byte) '*') < 0) {
                    o.dontSort = true;
                } else if (!readsEveryKey(c)) {
                    throw new CommandError("ERR BY option of SORT denied due to insufficient ACL permissions.");
                }
            } else if (c.argIs(j, "GET") && left >= 1) {
                if (!readsEveryKey(c)) {
                    throw new CommandError("ERR GET option of SORT denied due to insufficient ACL permissions.");
                }
                o.gets.add(c.arg(++j));
            } else {
                throw new CommandError(Errors.SYNTAX);
            }
        }
        return o;
    }

    /** SORT and SORT_RO ({@code readOnly}: no STORE option). */
    static void sortGeneric(Client c, boolean readOnly) {
        Options o = parse(c, readOnly);
        Object value = Keys.lookupRead(c, c.arg(1));
        if (value != null && !(value instanceof QuickList || value instanceof SetValue || value instanceof ZSetValue)) {
            throw new CommandError(Errors.WRONGTYPE);
        }
        // A set has no order of its own: a stored result, or one a script sees, must not depend on
        // hashing (so that replicas agree), so it is sorted anyway.
        if (o.dontSort && value instanceof SetValue && (o.storeKey != null || c.detached())) {
            o.dontSort = false;
            o.alpha = true;
            o.sortBy = null;
        }
        // Redis converts a sorted set it sorts to a skiplist for good, even for SORT_RO; OBJECT
        // ENCODING shows it.
        if (value instanceof ZSetValue zset) {
            zset.convertToSkiplist();
        }

        // LIMIT, clamped to the collection as Redis does: an empty range is start = end + 1.
        long length = value == null ? 0 : size(value);
        long start = Math.min(Math.max(o.limitStart, 0), length);
        long count = Math.min(Math.max(o.limitCount, -1), length);
        long end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length) {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) {
            end = length - 1;
        }

        Item[] items;
        if (o.dontSort && (value instanceof QuickList || value instanceof ZSetValue)) {
            // Native order, in the requested direction: only the LIMIT range is read.
            items = end >= start ? range(value, start, end, o.desc) : new Item[0];
            end -= start;
            start = 0;
        } else {
            items = all(value);
        }

        if (!o.dontSort) {
            if (!loadWeights(c, o, items)) {
                throw new CommandError(NOT_A_DOUBLE);
            }
            Comparator<Item> order = comparator(o.alpha, o.sortBy != null, o.storeKey != null, o.desc);
            if (o.sortBy != null && (start != 0 || end != items.length - 1)) {
                PartialQuickSort.sort(items, order, (int) start, (int) end);
            } else {
                Arrays.sort(items, order);
            }
        }

        long outputLength = (o.gets.isEmpty() ? 1 : o.gets.size()) * (end - start + 1);
        if (o.storeKey == null) {
            reply(c, items, (int) start, (int) end, o.gets, outputLength);
        } else {
            store(c, o.storeKey, items, (int) start, (int) end, o.gets, outputLength);
        }
    }

    /**
     * Sets each item's weight: the element itself or the value its BY pattern names (a missing
     * one weighs 0, or sorts first with ALPHA). Returns false if a numeric weight is not a
     * double; every weight is still looked up, as Redis does.
     */
    private static boolean loadWeights(Client c, Options o, Item[] items) {
        boolean valid = true;
        for (Item item : items) {
            byte[] weight = o.sortBy == null ? item.element : lookupByPattern(c, o.sortBy, item.element);
            if (weight == null) {
                continue;
            }
            if (o.alpha) {
                if (o.sortBy != null) {
                    item.alphaWeight = weight;
                }
            } else {
                item.score = Doubles.parseSortWeight(weight);
                valid &= !Double.isNaN(item.score);
            }
        }
        return valid;
    }

    private static long size(Object value) {
        if (value instanceof QuickList list) {
            return list.size();
        }
        return value instanceof SetValue set ? set.size() : ((ZSetValue) value).size();
    }

    /** Every element, in the collection's own order (none for a missing key). */
    private static Item[] all(Object value) {
        List<Item> items = new ArrayList<>();
        if (value instanceof QuickList list) {
            try (QuickList.Iter it = list.iterator(true)) {
                while (it.next()) {
                    items.add(new Item(it.value()));
                }
            }
        } else if (value instanceof SetValue set) {
            set.forEach(m -> items.add(new Item(m)));
        } else if (value instanceof ZSetValue zset) {
            zset.forEach((m, score) -> items.add(new Item(m)));
        }
        return items.toArray(new Item[0]);
    }

    /** The elements of positions {@code start..end} of a list or sorted set, counted from the end when {@code desc}. */
    private static Item[] range(Object value, long start, long end, boolean desc) {
        List<Item> items = new ArrayList<>();
        if (value instanceof QuickList list) {
            long n = end - start + 1;
            try (QuickList.Iter it = list.iterator(desc ? list.size() - start - 1 : start, !desc)) {
                while (n-- > 0 && it.next()) {
                    items.add(new Item(it.value()));
                }
            }
        } else {
            ((ZSetValue) value).rangeByRank(start, end, desc, (m, score) -> items.add(new Item(m)));
        }
        return items.toArray(new Item[0]);
    }

    /**
     * Redis's sortCompare. Numeric weights that are equal fall back to comparing the elements, so
     * the numeric order is total; ALPHA BY puts elements without a weight first.
     */
    private static Comparator<Item> comparator(boolean alpha, boolean byPattern, boolean store, boolean desc) {
        Comparator<byte[]> strings = store ? Arrays::compareUnsigned : SortCommands::collate;
        Comparator<Item> order;
        if (!alpha) {
            order = (a, b) -> a.score > b.score ? 1
                    : a.score < b.score ? -1
                    : Integer.signum(Arrays.compareUnsigned(a.element, b.element));
        } else if (byPattern) {
            order = (a, b) -> {
                if (a.alphaWeight == null || b.alphaWeight == null) {
                    return a.alphaWeight == b.alphaWeight ? 0 : a.alphaWeight == null ? -1 : 1;
                }
                return Integer.signum(strings.compare(a.alphaWeight, b.alphaWeight));
            };
        } else {
            order = (a, b) -> Integer.signum(strings.compare(a.element, b.element));
        }
        return desc ? (a, b) -> -order.compare(a, b) : order;
    }

    /** strcoll in the C locale: strcmp, unsigned bytes up to the first NUL. */
    private static int collate(byte[] a, byte[] b) {
        for (int i = 0; ; i++) {
            int x = i < a.length ? a[i] & 0xff : 0;
            int y = i < b.length ? b[i] & 0xff : 0;
            if (x != y) {
                return x - y;
            }
            if (x == 0) {
                return 0;
            }
        }
    }

    private static void reply(Client c, Item[] items, int start, int end, List<byte[]> gets, long outputLength) {
        Reply r = c.reply();
        r.array((int) outputLength);
        for (int j = start; j <= end; j++) {
            if (gets.isEmpty()) {
                r.bulk(items[j].element);
            }
            for (byte[] pattern : gets) {
                byte[] v = lookupByPattern(c, pattern, items[j].element);
                if (v == null) {
                    r.nullBulk();
                } else {
                    r.bulk(v);
                }
            }
        }
    }

    /** STORE: the output as a list (missing GET values as empty strings), replacing or deleting {@code key}. */
    private static void store(Client c, byte[] key, Item[] items, int start, int end, List<byte[]> gets,
            long outputLength) {
        QuickList list = ListCommands.newDefaultList(c);
        for (int j = start; j <= end; j++) {
            if (gets.isEmpty()) {
                list.pushTail(items[j].element);
            }
            for (byte[] pattern : gets) {
                byte[] v = lookupByPattern(c, pattern, items[j].element);
                list.pushTail(v == null ? new byte[0] : v.clone()); // the key's own array (a plain node would keep it)
            }
        }
        Writes.storeOrDelete(c, key, list, outputLength, "sortstore");
        if (outputLength > 1) {
            c.server().addDirty(outputLength - 1); // Redis counts one change per stored element
        }
    }

    /**
     * Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced
     * by the element to name a string key, or, when "->field" follows the '*', a hash field.
     * Null when the pattern has no '*' or the key, field or type does not match. As in Redis,
     * '*', "->" and "#" are searched for in the pattern up to its first NUL byte.
     */
    static byte[] lookupByPattern(Client c, byte[] pattern, byte[] element) {
        int textEnd = cLength(pattern);
        if (textEnd == 1 && pattern[0] == '#') {
            return element;
        }
        int star = cIndexOf(pattern, (byte) '*');
        if (star < 0) {
            return null;
        }
        int arrow = star + 1;
        while (arrow + 1 < textEnd && !(pattern[arrow] == '-' && pattern[arrow + 1] == '>')) {
            arrow++;
        }
        boolean hasField = arrow + 2 < textEnd;
        int suffixEnd = hasField ? arrow : pattern.length;
        byte[] key = new byte[star + element.length + suffixEnd - star - 1];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, suffixEnd - star - 1);

        Object value = Keys.lookupRead(c, key);
        if (hasField) {
            return value instanceof HashValue hash
                    ? hash.get(Arrays.copyOfRange(pattern, arrow + 2, pattern.length)) : null;
        }
        return StringValues.isString(value) ? StringValues.bytes(value) : null;
    }

    /** The length of {@code a} as a C string: up to its first NUL byte. */
    private static int cLength(byte[] a) {
        int i = 0;
        while (i < a.length && a[i] != 0) {
            i++;
        }
        return i;
    }

    /** strchr: the first index of {@code b} in {@code a} as a C string, or -1. */
    private static int cIndexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length && a[i] != 0; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
