package io.respire.persistence;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Function libraries in RDB form (rdb.c's rdbSaveFunctions and rdbFunctionLoad), as an RDB file
 * holds them before the keys and as FUNCTION DUMP sends them: per library the opcode
 * {@link #OPCODE_FUNCTION2} and its whole code (shebang included) as an RDB string. The older
 * {@link #OPCODE_FUNCTION} of Redis 7.0 release candidates (name, engine, optional description,
 * code without shebang) is read too.
 */
public final class RdbFunctions {
    /** RDB_OPCODE_FUNCTION2: a library, as its code. */
    public static final int OPCODE_FUNCTION2 = 245;
    /** RDB_OPCODE_FUNCTION: a library of Redis 7.0-rc1/rc2 (name, engine, description, body). */
    public static final int OPCODE_FUNCTION = 246;

    private RdbFunctions() {
    }

    /** A payload that cannot be read, with Redis's error text. */
    public static final class FormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public FormatException(String message) {
            super(message, null, false, false);
        }
    }

    /** rdbSaveFunctions: each library's code after its opcode. */
    public static void write(ByteArrayOutputStream out, Iterable<byte[]> libraryCodes, boolean compress) {
        for (byte[] code : libraryCodes) {
            out.write(OPCODE_FUNCTION2);
            RdbStrings.writeString(out, code, compress);
        }
    }

    /** FUNCTION DUMP: the libraries and the payload footer. */
    public static byte[] dump(Iterable<byte[]> libraryCodes, boolean compress) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, libraryCodes, compress);
        return DumpPayload.seal(out.toByteArray(), out.size());
    }

    /**
     * The reading loop of FUNCTION RESTORE: the payload's footer checked, then every library's
     * code given to {@code library} in order, which may throw to stop (as a library that does not
     * load stops Redis's restore).
     *
     * @throws FormatException with Redis's reply text (without the ERR code)
     */
    public static void restore(byte[] payload, boolean skipChecksum, Consumer<byte[]> library) {
        if (DumpPayload.verify(payload, skipChecksum) < 0) {
            throw new FormatException("DUMP payload version or checksum are wrong");
        }
        // Reads may run into the footer, as Redis's do: the buffer is the whole payload.
        RdbStrings.Reader in = new RdbStrings.Reader(payload, 0, payload.length);
        while (payload.length - in.position() > DumpPayload.FOOTER) {
            int type = in.readType();
            if (type == -1) {
                throw new FormatException("can not read data type");
            }
            if (type != OPCODE_FUNCTION && type != OPCODE_FUNCTION2) {
                throw new FormatException("given type is not a function");
            }
            library.accept(readLibrary(in, type));
        }
    }

    /** rdbFunctionLoad's reading: the library's code in the current format. */
    public static byte[] readLibrary(RdbStrings.Reader in, int type) {
        if (type == OPCODE_FUNCTION2) {
            byte[] code = in.readString();
            if (code == null) {
                throw new FormatException("Failed loading library payload");
            }
            return code;
        }
        byte[] name = require(in.readString(), "Failed loading library name");
        byte[] engine = require(in.readString(), "Failed loading engine name");
        long hasDescription = in.readLength();
        if (hasDescription == -1) {
            throw new FormatException("Failed loading library description indicator");
        }
        if (hasDescription != 0) {
            require(in.readString(), "Failed loading library description"); // not kept, as in Redis
        }
        byte[] body = require(in.readString(), "Failed loading library blob");
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.writeBytes("#!".getBytes(StandardCharsets.US_ASCII));
        code.writeBytes(engine);
        code.writeBytes(" name=".getBytes(StandardCharsets.US_ASCII));
        code.writeBytes(name);
        code.write('\n');
        code.writeBytes(body);
        return code.toByteArray();
    }

    private static byte[] require(byte[] value, String error) {
        if (value == null) {
            throw new FormatException(error);
        }
        return value;
    }
}
