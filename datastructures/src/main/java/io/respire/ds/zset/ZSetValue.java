package io.respire.ds.zset;

import io.respire.ds.util.Accounted;
import io.respire.ds.listpack.Listpack;
import io.respire.ds.set.MemberTable;
import io.respire.ds.util.Doubles;
import io.respire.ds.util.Numbers;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.ObjDoubleConsumer;
import java.util.random.RandomGenerator;

/**
 * A sorted set value of the keyspace (Redis's t_zset.c zset* layer), in one of Redis's two
 * encodings:
 * <ul>
 * <li><b>listpack</b>: a {@link Listpack} of member, score, member, score... in ascending
 * (score, member) order, while there are at most zset-max-listpack-entries members of at most
 * zset-max-listpack-value bytes each. Scores are stored as text that reads back exactly (see
 * {@link Doubles#toBytes}); the listpack keeps whole-number scores as integers.</li>
 * <li><b>skiplist</b> (Redis's name, kept for OBJECT ENCODING): a {@link ScoreTree} for order
 * and ranks, plus a {@link MemberTable} of its nodes for O(1) lookup of a member's score.</li>
 * </ul>
 * As in Redis, growing past a limit converts to a skiplist and removals never convert back;
 * only {@link #convertToListpackIfFits} (used by ZUNIONSTORE and friends, and when loading)
 * does. The limits are runtime settings, so callers pass them in {@link Limits}.
 *
 * <p>Scores are never NaN: {@link #score} uses NaN to say "no such member". Members given to this
 * class are kept as they are (do not modify them afterwards), and members handed out by the
 * skiplist encoding are the stored arrays (do not modify them either).
 */
public final class ZSetValue extends Accounted {
    /** The thresholds of the listpack encoding (zset-max-listpack-entries and -value). */
    public record Limits(long maxEntries, long maxValue) {
    }

    /** ZADD input flags (Redis's ZADD_IN_*). */
    public static final int INCR = 1;
    public static final int NX = 2;
    public static final int XX = 4;
    public static final int GT = 8;
    public static final int LT = 16;

    /** ZADD outcome flags (Redis's ZADD_OUT_*). */
    public static final int ADDED = 1;
    public static final int UPDATED = 2;
    public static final int NOP = 4;
    /** The score was or became NaN: nothing was changed and the caller replies an error. */
    public static final int NAN = 8;

    /** Redis's listpack limit: a listpack may not grow past 1 GB (lpSafeToAdd). */
    private static final long LISTPACK_MAX_SAFETY_SIZE = 1L << 30;

    /** The member index of the skiplist encoding: elements are the tree's nodes. */
    static final class Index extends MemberTable<ScoreTree.Node> {
        @Override
        protected byte[] memberOf(ScoreTree.Node node) {
            return node.member;
        }
    }

    /** This object: header, the accounting fields (Accounted) and three references. */
    private static final int SHALLOW_SIZE = 48;
    private Listpack lp;
    private ScoreTree tree;
    private Index index;

    private ZSetValue(Listpack lp) {
        this.lp = lp;
    }

    private ZSetValue(ScoreTree tree, Index index) {
        this.tree = tree;
        this.index = index;
    }

    /** An empty listpack-encoded sorted set. */
    public static ZSetValue listpack() {
        return new ZSetValue(new Listpack());
    }

    /** An empty skiplist-encoded sorted set. */
    public static ZSetValue skiplist() {
        return new ZSetValue(new ScoreTree(), new Index());
    }

    /**
     * An empty sorted set in the encoding ZADD creates for its first member: a skiplist if
     * listpacks are disabled (zero entries) or that member is too long, else a listpack.
     */
    public static ZSetValue createFor(byte[] firstMember, Limits limits) {
        if (limits.maxEntries() == 0 || firstMember.length > limits.maxValue()) {
            return skiplist();
        }
        return listpack();
    }

    /** "listpack" or "skiplist", as OBJECT ENCODING reports. */
    public String encoding() {
        return lp != null ? "listpack" : "skiplist";
    }

    /** The member index's statistics in Redis's words (DEBUG HTSTATS-KEY), or null for a listpack. */
    public String tableStats() {
        return index == null ? null : index.stats();
    }

    public boolean isListpack() {
        return lp != null;
    }

    public int size() {
        return lp != null ? lp.size() / 2 : tree.length();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    // ------------------------------------------------------------------------------------------
    // Listpack helpers. Positions are of member entries; the score follows each member.

    private double lpScore(int scorePos) {
        if (lp.isInteger(scorePos)) {
            return lp.integer(scorePos);
        }
        int off = lp.stringOffset(scorePos);
        return Doubles.parse(lp.array(), off, off + lp.stringLength(scorePos));
    }

    private double lpScoreOfMember(int memberPos) {
        return lpScore(lp.next(memberPos));
    }

    /** Byte order of the member at p against {@code member}. */
    private int lpCompareMember(int p, byte[] member) {
        if (lp.isInteger(p)) {
            return Arrays.compareUnsigned(Numbers.toBytes(lp.integer(p)), member);
        }
        int off = lp.stringOffset(p);
        return Arrays.compareUnsigned(lp.array(), off, off + lp.stringLength(p), member, 0, member.length);
    }

    private int lpNextMember(int memberPos) {
        int s = lp.next(memberPos);
        return s == Listpack.NONE ? Listpack.NONE : lp.next(s);
    }

    private int lpPrevMember(int memberPos) {
        int s = lp.prev(memberPos);
        return s == Listpack.NONE ? Listpack.NONE : lp.prev(s);
    }

    private int lpLastMember() {
        return lp.isEmpty() ? Listpack.NONE : lp.prev(lp.last());
    }

    /** The position of {@code member}, or NONE (Redis's zzlFind). */
    private int lpFind(byte[] member) {
        return lp.isEmpty() ? Listpack.NONE : lp.find(lp.first(), member, 1);
    }

    /** Inserts a pair at its place in the order (Redis's zzlInsert). */
    private void lpInsert(byte[] member, double score) {
        byte[] scoreText = Doubles.toBytes(score);
        for (int p = lp.first(); p != Listpack.NONE; p = lpNextMember(p)) {
            double s = lpScoreOfMember(p);
            if (s > score || (s == score && lpCompareMember(p, member) > 0)) {
                int m = lp.insertBefore(p, member);
                lp.insertAfter(m, scoreText);
                return;
            }
        }
        lp.append(member);
        lp.append(scoreText);
    }

    // ------------------------------------------------------------------------------------------
    // Conversion

    /**
     * Moves every pair of the listpack into a skiplist and its index (Redis's zsetConvert); does
     * nothing if already a skiplist. SORT calls it too, as Redis does.
     */
    public void convertToSkiplist() {
        if (lp == null) {
            return;
        }
        ScoreTree list = new ScoreTree();
        Index idx = new Index();
        idx.expand(size());
        for (int p = lp.first(); p != Listpack.NONE; p = lpNextMember(p)) {
            idx.addNew(list.insert(lpScoreOfMember(p), lp.get(p)));
        }
        tree = list;
        index = idx;
        lp = null;
    }

    private void convertToListpack() {
        Listpack l = new Listpack();
        for (ScoreTree.Cursor c = tree.first(); c.valid(); c.next()) {
            ScoreTree.Node x = c.node();
            l.append(x.member);
            l.append(Doubles.toBytes(x.score));
        }
        l.trimToSize();
        lp = l;
        tree = null;
        index = null;
    }

    /**
     * Converts a skiplist back to a listpack when it fits the limits (Redis's
     * zsetConvertToListpackIfNeeded, after ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE and RDB loading).
     */
    public void convertToListpackIfFits(Limits limits) {
        if (lp != null || tree.length() > limits.maxEntries()) {
            return;
        }
        long total = 0;
        for (ScoreTree.Cursor c = tree.first(); c.valid(); c.next()) {
            ScoreTree.Node x = c.node();
            if (x.member.length > limits.maxValue()) {
                return;
            }
            total += x.member.length;
        }
        if (total <= LISTPACK_MAX_SAFETY_SIZE) {
            convertToListpack();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Single members

    /** The score of {@code member}, or NaN when it is absent (Redis's zsetScore). */
    public double score(byte[] member) {
        if (lp != null) {
            int p = lpFind(member);
            return p == Listpack.NONE ? Double.NaN : lpScoreOfMember(p);
        }
        ScoreTree.Node x = index.find(member);
        return x == null ? Double.NaN : x.score;
    }

    public boolean contains(byte[] member) {
        return lp != null ? lpFind(member) != Listpack.NONE : index.contains(member);
    }

    /**
     * Redis's zsetAdd: adds {@code member} or updates its score, as the input flags ({@link #INCR},
     * {@link #NX}, {@link #XX}, {@link #GT}, {@link #LT}) say. Returns the outcome flags
     * ({@link #ADDED}, {@link #UPDATED}, {@link #NOP}, or {@link #NAN} when the score is or
     * becomes NaN, in which case nothing changed). Unless the outcome is NAN or NOP, the resulting
     * score is stored in {@code newScore[0]} when newScore is not null. May convert the encoding
     * to a skiplist.
     */
    public int add(double score, byte[] member, int flags, double[] newScore, Limits limits) {
        boolean incr = (flags & INCR) != 0;
        boolean nx = (flags & NX) != 0;
        boolean xx = (flags & XX) != 0;
        boolean gt = (flags & GT) != 0;
        boolean lt = (flags & LT) != 0;
        if (Double.isNaN(score)) {
            return NAN;
        }
        if (lp != null) {
            int p = lpFind(member);
            if (p != Listpack.NONE) {
                if (nx) {
                    return NOP;
                }
                double current = lpScoreOfMember(p);
                if (incr) {
                    score += current;
                    if (Double.isNaN(score)) {
                        return NAN;
                    }
                }
                if ((lt && score >= current) || (gt && score <= current)) {
                    return NOP;
                }
                if (newScore != null) {
                    newScore[0] = score;
                }
                if (score != current) {
                    lp.delete(p, 2);
                    lpInsert(member, score);
                    return UPDATED;
                }
                return 0;
            }
            if (xx) {
                return NOP;
            }
            if (size() + 1 > limits.maxEntries() || member.length > limits.maxValue()
                    || (long) lp.bytes() + member.length > LISTPACK_MAX_SAFETY_SIZE) {
                convertToSkiplist();
            } else {
                lpInsert(member, score);
                if (newScore != null) {
                    newScore[0] = score;
                }
                return ADDED;
            }
        }
        ScoreTree.Node x = index.find(member);
        if (x != null) {
            if (nx) {
                return NOP;
            }
            double current = x.score;
            if (incr) {
                score += current;
                if (Double.isNaN(score)) {
                    return NAN;
                }
            }
            if ((lt && score >= current) || (gt && score <= current)) {
                return NOP;
            }
            if (newScore != null) {
                newScore[0] = score;
            }
            if (score != current) {
                tree.updateScore(x, score);
                return UPDATED;
            }
            return 0;
        }
        if (xx) {
            return NOP;
        }
        index.addNew(tree.insert(score, member));
        if (newScore != null) {
            newScore[0] = score;
        }
        return ADDED;
    }

    /** Removes {@code member}; returns false if it was absent (Redis's zsetDel). */
    public boolean remove(byte[] member) {
        if (lp != null) {
            int p = lpFind(member);
            if (p == Listpack.NONE) {
                return false;
            }
            lp.delete(p, 2);
            return true;
        }
        ScoreTree.Node x = index.remove(member);
        if (x == null) {
            return false;
        }
        tree.delete(x);
        return true;
    }

    /**
     * The 0-based rank of {@code member} in ascending order (descending when {@code reverse}),
     * or -1 when absent (Redis's zsetRank).
     */
    public long rank(byte[] member, boolean reverse) {
        long length = size();
        long rank;
        if (lp != null) {
            rank = 1;
            int p = lp.first();
            while (p != Listpack.NONE && !lp.valueEquals(p, member)) {
                rank++;
                p = lpNextMember(p);
            }
            if (p == Listpack.NONE) {
                return -1;
            }
        } else {
            ScoreTree.Node x = index.find(member);
            if (x == null) {
                return -1;
            }
            rank = tree.rank(x);
        }
        return reverse ? length - rank : rank - 1;
    }

    // ------------------------------------------------------------------------------------------
    // Ranges. The visitor receives each member (a fresh array for a listpack, the stored one for
    // a skiplist) with its score, in the order of the range.

    /** Calls {@code visitor} for every member in ascending order. */
    public void forEach(ObjDoubleConsumer<byte[]> visitor) {
        forEachWhile((member, score) -> {
            visitor.accept(member, score);
            return true;
        });
    }

    /** A test of a member and its score, which may stop an iteration. */
    @FunctionalInterface
    public interface EntryPredicate {
        boolean test(byte[] member, double score);
    }

    /**
     * Calls {@code action} for the members in ascending order until it returns false; returns
     * false if it was stopped. The set must not be modified meanwhile.
     */
    public boolean forEachWhile(EntryPredicate action) {
        if (lp != null) {
            for (int p = lp.first(); p != Listpack.NONE; p = lpNextMember(p)) {
                if (!action.test(lp.get(p), lpScoreOfMember(p))) {
                    return false;
                }
            }
        } else {
            for (ScoreTree.Cursor c = tree.first(); c.valid(); c.next()) {
                ScoreTree.Node x = c.node();
                if (!action.test(x.member, x.score)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Visits the members of 0-based ranks {@code start..end} (already clamped by the caller to
     * {@code 0 <= start <= end < size()}), from the lowest score, or from the highest when
     * {@code reverse} (ranks then count from the end). Redis's genericZrangebyrankCommand.
     */
    public void rangeByRank(long start, long end, boolean reverse, ObjDoubleConsumer<byte[]> visitor) {
        long n = end - start + 1;
        if (lp != null) {
            int p = lp.seek(reverse ? -2 - 2 * start : 2 * start);
            for (; n > 0 && p != Listpack.NONE; n--) {
                visitor.accept(lp.get(p), lpScoreOfMember(p));
                p = reverse ? lpPrevMember(p) : lpNextMember(p);
            }
            return;
        }
        ScoreTree.Cursor c = tree.byRank(reverse ? size() - start : start + 1);
        for (; n > 0 && c.valid(); n--) {
            ScoreTree.Node x = c.node();
            visitor.accept(x.member, x.score);
            c.skip(1, reverse);
        }
    }

    /**
     * Visits the members whose score is in {@code range}, skipping the first {@code offset} and
     * stopping after {@code limit} (a negative limit means no limit), ascending or descending.
     * Returns how many were visited. As in Redis, a negative offset, or one at or past the size,
     * yields nothing.
     */
    public long rangeByScore(ScoreRange range, long offset, long limit, boolean reverse,
                             ObjDoubleConsumer<byte[]> visitor) {
        if (offset > 0 && offset >= size()) {
            return 0;
        }
        return range(range, offset, limit, reverse, visitor);
    }

    /**
     * As {@link #rangeByScore} for a member range (all scores being equal). As in Redis, a
     * negative offset yields nothing.
     */
    public long rangeByLex(LexRange range, long offset, long limit, boolean reverse,
                           ObjDoubleConsumer<byte[]> visitor) {
        return range(range, offset, limit, reverse, visitor);
    }

    /**
     * Walks from the first entry in range (the last when reverse), skips offset entries, then
     * visits entries while they are in range, at most limit of them (Redis's
     * genericZrangebyscoreCommand and genericZrangebylexCommand).
     */
    private long range(EntryRange range, long offset, long limit, boolean reverse,
                       ObjDoubleConsumer<byte[]> visitor) {
        if (offset < 0) {
            return 0; // Redis walks off the end trying to skip a negative number of entries
        }
        long visited = 0;
        if (lp != null) {
            int p = lpStartInRange(range, reverse);
            for (; p != Listpack.NONE && offset > 0; offset--) {
                p = reverse ? lpPrevMember(p) : lpNextMember(p);
            }
            for (; p != Listpack.NONE && limit-- != 0; p = reverse ? lpPrevMember(p) : lpNextMember(p)) {
                byte[] member = lp.get(p);
                double score = lpScoreOfMember(p);
                if (reverse ? !range.aboveMin(score, member) : !range.belowMax(score, member)) {
                    break;
                }
                visitor.accept(member, score);
                visited++;
            }
            return visited;
        }
        ScoreTree.Cursor c = reverse ? tree.lastInRange(range) : tree.firstInRange(range);
        c.skip(offset, reverse);
        for (; c.valid() && limit-- != 0; c.skip(1, reverse)) {
            ScoreTree.Node x = c.node();
            if (reverse ? !range.aboveMin(x.score, x.member) : !range.belowMax(x.score, x.member)) {
                break;
            }
            visitor.accept(x.member, x.score);
            visited++;
        }
        return visited;
    }

    /**
     * Calls {@code action} for the members whose score is in {@code range}, in ascending order,
     * until it returns false (the walk of Redis's geoGetPointsInRange, which stops once a search
     * has found enough points). The set must not be modified meanwhile.
     */
    public void forEachInScoreRange(ScoreRange range, EntryPredicate action) {
        if (lp != null) {
            for (int p = lpStartInRange(range, false); p != Listpack.NONE; p = lpNextMember(p)) {
                double score = lpScoreOfMember(p);
                if (!range.belowMax(score) || !action.test(lp.get(p), score)) {
                    return;
                }
            }
            return;
        }
        for (ScoreTree.Cursor c = tree.firstInRange(range); c.valid(); c.next()) {
            ScoreTree.Node x = c.node();
            if (!range.belowMax(x.score) || !action.test(x.member, x.score)) {
                return;
            }
        }
    }

    /** The first (or last) member position in the range (zzlFirstInRange and friends). */
    private int lpStartInRange(EntryRange range, boolean last) {
        if (range.isEmpty() || lp.isEmpty()) {
            return Listpack.NONE;
        }
        // Like Redis (zzlIsInRange, zzlIsInLexRange) and ScoreTree.intersects, test the ends first:
        // no different for scores, but with mixed scores a lex range then finds nothing when the
        // last member is below min or the first above max, even if one in between would match.
        int head = lp.first();
        int tail = lpLastMember();
        if (!range.aboveMin(lpScoreOfMember(tail), lp.get(tail)) || !range.belowMax(lpScoreOfMember(head), lp.get(head))) {
            return Listpack.NONE;
        }
        for (int p = last ? lpLastMember() : lp.first(); p != Listpack.NONE;
             p = last ? lpPrevMember(p) : lpNextMember(p)) {
            byte[] member = lp.get(p);
            double score = lpScoreOfMember(p);
            if (last ? range.belowMax(score, member) : range.aboveMin(score, member)) {
                boolean inside = last ? range.aboveMin(score, member) : range.belowMax(score, member);
                return inside ? p : Listpack.NONE;
            }
        }
        return Listpack.NONE;
    }

    /** Number of members with a score in the range (ZCOUNT). */
    public long count(ScoreRange range) {
        return countInRange(range);
    }

    /** Number of members in the lex range (ZLEXCOUNT). */
    public long lexCount(LexRange range) {
        return countInRange(range);
    }

    private long countInRange(EntryRange range) {
        if (lp != null) {
            return range(range, 0, -1, false, (m, s) -> { });
        }
        ScoreTree.Cursor first = tree.firstInRange(range);
        if (!first.valid()) {
            return 0;
        }
        // Both ends are in range, so the count is the difference of their ranks.
        ScoreTree.Cursor last = tree.lastInRange(range);
        return tree.rank(last.node()) - tree.rank(first.node()) + 1;
    }

    // ------------------------------------------------------------------------------------------
    // Range removal

    /** Removes the members of 0-based ranks start..end (clamped by the caller); returns how many. */
    public long removeRangeByRank(long start, long end) {
        if (lp != null) {
            int before = size();
            lp.deleteRange(2 * start, (int) (2 * (end - start + 1)));
            return before - size();
        }
        return tree.deleteRangeByRank(start + 1, end + 1, this::unindex);
    }

    /** Removes the members with a score in the range; returns how many. */
    public long removeRangeByScore(ScoreRange range) {
        return removeRange(range);
    }

    /** Removes the members in the lex range; returns how many. */
    public long removeRangeByLex(LexRange range) {
        return removeRange(range);
    }

    private long removeRange(EntryRange range) {
        if (lp == null) {
            return tree.deleteRange(range, this::unindex);
        }
        long removed = 0;
        int p = lpStartInRange(range, false);
        while (p != Listpack.NONE && range.belowMax(lpScoreOfMember(p), lp.get(p))) {
            p = lp.delete(p, 2);
            removed++;
        }
        return removed;
    }

    private void unindex(ScoreTree.Node x) {
        index.remove(x.member);
    }

    /**
     * Removes the member with the lowest score (or the highest when {@code max}) and passes it to
     * {@code visitor}; returns false when empty (one step of Redis's genericZpopCommand).
     */
    public boolean pop(boolean max, ObjDoubleConsumer<byte[]> visitor) {
        if (lp != null) {
            int p = max ? lpLastMember() : lp.first();
            if (p == Listpack.NONE) {
                return false;
            }
            byte[] member = lp.get(p);
            double score = lpScoreOfMember(p);
            lp.delete(p, 2);
            visitor.accept(member, score);
            return true;
        }
        ScoreTree.Node x = max ? tree.lastNode() : tree.firstNode();
        if (x == null) {
            return false;
        }
        tree.delete(x);
        index.remove(x.member);
        visitor.accept(x.member, x.score);
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Random members and SCAN

    /**
     * Passes a random member and its score to {@code visitor} (uniform over a listpack, dict's
     * fair random key over a skiplist); the set must not be empty.
     */
    public void random(RandomGenerator random, ObjDoubleConsumer<byte[]> visitor) {
        if (lp != null) {
            int p = lp.seek(2L * random.nextInt(size()));
            visitor.accept(lp.get(p), lpScoreOfMember(p));
            return;
        }
        ScoreTree.Node x = index.fairRandom(random);
        visitor.accept(x.member, x.score);
    }

    /**
     * One step of ZSCAN: a skiplist's index is scanned with Redis's cursor (returning the next
     * one, 0 at the end); a listpack is small and visited whole, with cursor 0.
     */
    public long scan(long cursor, ObjDoubleConsumer<byte[]> visitor) {
        if (lp != null) {
            forEach(visitor);
            return 0;
        }
        return index.scan(cursor, (Consumer<ScoreTree.Node>) x -> visitor.accept(x.member, x.score));
    }

    // ------------------------------------------------------------------------------------------
    // Copies, dumps, memory

    /** An independent copy in the same encoding (COPY, Redis's zsetDup). */
    public ZSetValue copy() {
        if (lp != null) {
            return new ZSetValue(lp.copy());
        }
        ZSetValue c = skiplist();
        c.index.expand(size());
        // In ascending order: each insertion is an append, which fills the tree's leaves.
        for (ScoreTree.Cursor at = tree.first(); at.valid(); at.next()) {
            ScoreTree.Node x = at.node();
            c.index.addNew(c.tree.insert(x.score, x.member));
        }
        return c;
    }

    /** The listpack, or null in the skiplist encoding (for RDB serialization and DEBUG). */
    public Listpack listpackEncoding() {
        return lp;
    }

    /** Wraps a listpack of member/score pairs in order, as read from a dump. */
    public static ZSetValue ofListpack(Listpack pairs) {
        return new ZSetValue(pairs);
    }

    /**
     * An estimate of the heap bytes held: this object and the listpack, or the skiplist's nodes
     * and level arrays, the index and the member arrays (compressed references assumed).
     */
    public long memoryUsage() {
        if (lp != null) {
            return SHALLOW_SIZE + lp.memoryUsage();
        }
        long bytes = SHALLOW_SIZE + 32 + tree.pageBytes() + index.memoryUsage();
        for (ScoreTree.Cursor c = tree.first(); c.valid(); c.next()) {
            bytes += 24 + align(16 + c.node().member.length);
        }
        return bytes;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** Checks the skiplist's invariants and the index (tests). */
    void verify() {
        if (tree != null) {
            tree.verify();
            if (index.size() != tree.length()) {
                throw new IllegalStateException("index size " + index.size() + " != " + tree.length());
            }
            for (ScoreTree.Cursor c = tree.first(); c.valid(); c.next()) {
                if (index.find(c.node().member) != c.node()) {
                    throw new IllegalStateException("node missing from index");
                }
            }
        }
    }
}
