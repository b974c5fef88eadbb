package io.respire.server.replication;

import io.respire.persistence.Crc64;
import io.respire.server.ServerContext;

import java.nio.charset.StandardCharsets;

/**
 * The snapshot of an empty dataset: an RDB of version 10 (Redis 7.0's) with no aux fields and no
 * keys, only the header, the EOF opcode and the checksum, which Redis's loader accepts as an empty
 * dataset. It refuses any dataset that has a key or a function library the replica asked for
 * (all of them, unless it filtered them out with REPLCONF rdb-filter-only): a replica must never
 * be told an empty image is the data. {@link RdbSnapshot} uses it for filtered replicas.
 */
public final class EmptyDatasetSnapshot implements SnapshotSource {
    private static final byte[] HEADER = "REDIS0010".getBytes(StandardCharsets.US_ASCII);
    private static final int OPCODE_EOF = 0xFF;

    @Override
    public byte[] rdb(ServerContext server, boolean withData, boolean withFunctions) {
        if ((withData && hasKeys(server)) || (withFunctions && server.scripting().functions().libraryCount() > 0)) {
            return null;
        }
        byte[] rdb = new byte[HEADER.length + 1 + 8];
        System.arraycopy(HEADER, 0, rdb, 0, HEADER.length);
        rdb[HEADER.length] = (byte) OPCODE_EOF;
        long crc = Crc64.update(0, rdb, 0, HEADER.length + 1);
        Crc64.writeLittleEndian(crc, rdb, HEADER.length + 1);
        return rdb;
    }

    @Override
    public String unavailable() {
        return "this snapshot source can only send an empty dataset";
    }

    private static boolean hasKeys(ServerContext server) {
        for (int i = 0; i < server.databaseCount(); i++) {
            if (server.database(i).size() > 0) {
                return true;
            }
        }
        return false;
    }
}
