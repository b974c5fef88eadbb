package io.respire.scripting.lib;

/**
 * The settings of one cjson module table (lua-cjson's json_config_t), with Redis's defaults.
 * Each {@code cjson.new()} gets its own; the configuration functions change them in place.
 */
final class CjsonConfig {

    /** encode_invalid_numbers: refuse NaN and infinities. */
    static final int INVALID_OFF = 0;
    /** encode_invalid_numbers: write them as nan / inf / -inf. */
    static final int INVALID_ON = 1;
    /** encode_invalid_numbers: write them as null. */
    static final int INVALID_NULL = 2;

    /** Encode an excessively sparse array as an object instead of failing. */
    boolean encodeSparseConvert = false;
    /** An array is excessively sparse when max index > ratio * items (0: never). */
    int encodeSparseRatio = 2;
    /** ... and max index > safe. */
    int encodeSparseSafe = 10;
    int encodeMaxDepth = 1000;
    int decodeMaxDepth = 1000;
    int encodeInvalidNumbers = INVALID_OFF;
    boolean decodeInvalidNumbers = true;
    /** Only reported back: buffer reuse is an allocation detail with no visible effect here. */
    boolean encodeKeepBuffer = true;
    int encodeNumberPrecision = 14;
}
