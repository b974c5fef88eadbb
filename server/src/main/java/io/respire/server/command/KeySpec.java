package io.respire.server.command;

import java.util.List;

/**
 * Where a command's keys are among its arguments (Redis 7's key specs): a begin-search step (a fixed
 * index, after a keyword, or unknown) and a find-keys step (a range, a count given in the
 * arguments, or unknown). {@link KeyFinder} applies them; COMMAND INFO shows them.
 *
 * @param flags      Redis's key-spec flags, upper case as in the specifications (RW, ACCESS...)
 * @param notes      Redis's remark on the spec, or null
 * @param lastKey    for a range: the last key relative to the first, or negative from the end
 * @param limit      for a range with a negative lastKey: only 1/limit of the remaining arguments
 */
public record KeySpec(List<String> flags, String notes,
                      BeginSearch begin, int beginIndex, String beginKeyword, int keywordStartFrom,
                      FindKeys find, int lastKey, int keyStep, int limit,
                      int keyNumIndex, int firstKey) {

    /** How the search for the first key starts. */
    public enum BeginSearch { INDEX, KEYWORD, UNKNOWN }

    /** How the keys are found from there. */
    public enum FindKeys { RANGE, KEYNUM, UNKNOWN }

    public boolean range() {
        return find == FindKeys.RANGE;
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }
}
