package io.respire.server.acl;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * Redis's ACL log: the latest denials, newest first. A denial like one of the last ten (same
 * reason, context, object and user, within a minute) bumps that entry's count instead of adding one.
 */
public final class AclLog {
    /** Redis's ACL_LOG_GROUPING_MAX_TIME_DELTA. */
    private static final long GROUPING_MS = 60_000;
    private static final int GROUPING_SCAN = 10;

    /** One entry of ACL LOG. */
    public static final class Entry {
        private long count = 1;
        private final String reason;
        private final String context;
        private final String object;
        private final String username;
        private long createdMs;
        private String clientInfo;

        Entry(String reason, String context, String object, String username, long createdMs, String clientInfo) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.createdMs = createdMs;
            this.clientInfo = clientInfo;
        }

        public long count() {
            return count;
        }

        public String reason() {
            return reason;
        }

        public String context() {
            return context;
        }

        public String object() {
            return object;
        }

        public String username() {
            return username;
        }

        public long createdMs() {
            return createdMs;
        }

        public String clientInfo() {
            return clientInfo;
        }

        private boolean similar(Entry other) {
            return reason.equals(other.reason) && context.equals(other.context)
                    && Math.abs(createdMs - other.createdMs) <= GROUPING_MS
                    && object.equals(other.object) && username.equals(other.username);
        }
    }

    private final LinkedList<Entry> entries = new LinkedList<>();

    /** Adds a denial (Redis's addACLLogEntry), keeping at most {@code maxLen} entries. */
    public void add(String reason, String context, String object, String username, long nowMs, String clientInfo,
                    long maxLen) {
        Entry entry = new Entry(reason, context, object, username, nowMs, clientInfo);
        int scanned = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < GROUPING_SCAN; scanned++) {
            Entry current = it.next();
            if (current.similar(entry)) {
                it.remove();
                current.count++;
                current.createdMs = nowMs;
                current.clientInfo = clientInfo;
                entries.addFirst(current);
                return;
            }
        }
        entries.addFirst(entry);
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** The newest {@code count} entries. */
    public List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public void reset() {
        entries.clear();
    }
}
