package io.respire.persistence;

import io.respire.ds.list.PackedThreshold;
import io.respire.ds.zset.ZSetValue;

/**
 * The server's encoding settings that decide, as values are loaded, which encoding each one gets
 * (Redis reads them from its config in rdbLoadObject): hash-max-listpack-*, set-max-intset-entries,
 * zset-max-listpack-*, list-max-listpack-size and list-compress-depth.
 */
public record EncodingLimits(long hashMaxListpackEntries, long hashMaxListpackValue, long setMaxIntsetEntries,
        long zsetMaxListpackEntries, long zsetMaxListpackValue, int listMaxListpackSize, int listCompressDepth,
        PackedThreshold listPackedThreshold) {

    /** Redis 7.0's defaults. */
    public static EncodingLimits defaults() {
        return new EncodingLimits(128, 64, 512, 128, 64, -2, 0, new PackedThreshold());
    }

    ZSetValue.Limits zsetLimits() {
        return new ZSetValue.Limits(zsetMaxListpackEntries, zsetMaxListpackValue);
    }
}
