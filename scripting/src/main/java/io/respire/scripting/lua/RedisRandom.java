package io.respire.scripting.lua;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

import java.util.function.BooleanSupplier;

/**
 * Redis's math.random and math.randomseed: the same sequence on every platform for the same seed
 * (Redis's redisLrand48, the 48-bit linear congruential generator of drand48), starting from
 * drand48's default seed when the server starts and never reseeded but by math.randomseed.
 */
public final class RedisRandom {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;
    /** drand48's initial state: X0 0x330E, X1 0xABCD, X2 0x1234. */
    private static final long DEFAULT_STATE = 0x1234ABCD330EL;
    /** REDIS_LRAND48_MAX: INT32_MAX. */
    private static final int LRAND48_MAX = Integer.MAX_VALUE;

    private long state = DEFAULT_STATE;

    public RedisRandom() {
    }

    /** redisLrand48: the next 31-bit value. */
    int next() {
        state = (state * MULTIPLIER + ADDEND) & MASK;
        return (int) (state >>> 17);
    }

    /** redisSrand48: the high 32 bits of the state from the seed, the low 16 bits 0x330E. */
    void seed(int seed) {
        state = (((long) seed & 0xFFFFFFFFL) << 16) | 0x330EL;
    }

    /** math.random([m [, n]]), Lua 5.1's with Redis's generator. */
    static final class Random extends VarArgFunction {
        private final RedisRandom generator;
        private final BooleanSupplier inScript;

        Random(RedisRandom generator, BooleanSupplier inScript) {
            this.generator = generator;
            this.inScript = inScript;
        }

        @Override
        public Varargs invoke(Varargs args) {
            if (!inScript.getAsBoolean()) {
                throw new LuaError("math.random can only be called inside a script invocation");
            }
            double r = (double) (generator.next() % LRAND48_MAX) / (double) LRAND48_MAX;
            switch (args.narg()) {
                case 0:
                    return valueOf(r);
                case 1: {
                    int upper = args.checkint(1);
                    if (upper < 1) {
                        argerror(1, "interval is empty");
                    }
                    return valueOf(Math.floor(r * upper) + 1);
                }
                case 2: {
                    int lower = args.checkint(1);
                    int upper = args.checkint(2);
                    if (lower > upper) {
                        argerror(2, "interval is empty");
                    }
                    return valueOf(Math.floor(r * (upper - lower + 1)) + lower);
                }
                default:
                    throw new LuaError("wrong number of arguments");
            }
        }
    }

    /** math.randomseed(n). */
    static final class Seed extends OneArgFunction {
        private final RedisRandom generator;
        private final BooleanSupplier inScript;

        Seed(RedisRandom generator, BooleanSupplier inScript) {
            this.generator = generator;
            this.inScript = inScript;
        }

        @Override
        public LuaValue call(LuaValue seed) {
            if (!inScript.getAsBoolean()) {
                throw new LuaError("math.randomseed can only be called inside a script invocation");
            }
            generator.seed(seed.checkint());
            return NONE;
        }
    }
}
