/**
 * The libraries Redis 7.0 gives every Lua script besides the standard library, as pure LuaJ
 * libraries with no dependency on the server: {@code cjson} ({@link io.respire.scripting.lib.CjsonLib}),
 * {@code cmsgpack} ({@link io.respire.scripting.lib.CmsgpackLib}), {@code bit}
 * ({@link io.respire.scripting.lib.BitLib}) and {@code struct} ({@link io.respire.scripting.lib.StructLib}).
 *
 * <h2>Installing</h2>
 * <pre>{@code
 * Globals g = new Globals();
 * g.load(new JseBaseLib()); g.load(new PackageLib()); g.load(new TableLib());
 * g.load(new StringLib()); g.load(new JseMathLib());
 * LoadState.install(g); LuaC.install(g);
 * RedisLuaLibs.install(g);   // cjson, struct, cmsgpack, bit
 * }</pre>
 *
 * <h2>Fidelity</h2>
 * Each library follows the C source Redis 7.0.15 ships (deps/lua/src), including its number
 * formatting ({@code %.14g}), glibc {@code strtod} parsing, Lua 5.1 string/number coercions,
 * argument-error texts ({@link io.respire.scripting.lib.LuaCompat}, which the interpreter's own
 * Lua 5.1 functions share), and the Lua 5.1 limit of 8000 C stack slots that bounds how deep or how
 * long an input Redis accepts. Strings are handled as bytes throughout. RedisDifferentialTest
 * compares several hundred snippets, including seeded fuzz cases, byte for byte with a real
 * redis-server.
 *
 * <h2>Known differences, all outside these libraries</h2>
 * <ul>
 *   <li>Table iteration order: objects (cjson) and maps (cmsgpack) with more than one hash key
 *       are written in LuaJ's {@code next()} order, which is also what {@code pairs} gives the
 *       script. Lua 5.1's order depends on its node layout and on the insertion history, which a
 *       LuaJ table does not keep, so with several keys the order often differs from Redis's;
 *       the content is always the same. Arrays and single-key objects are identical.</li>
 *   <li>Error positions: like {@code luaL_error}, library errors are raised so that the VM adds
 *       the caller's position ({@link io.respire.scripting.lib.LuaLibError#positioned}); LuaJ writes it as
 *       {@code "@user_script:1 "} where Redis writes {@code "user_script:1: "}, and LuaJ adds none
 *       when the library function was called in a tail call. Errors Lua 5.1 raises from its core
 *       inside a C function ("table index is nil") carry no position in either.</li>
 *   <li>Argument errors name the function by its field name ({@code 'decode'}); Lua 5.1 derives
 *       the name from the call site and says {@code '?'} for {@code pcall(cjson.decode, s)}.</li>
 * </ul>
 */
package io.respire.scripting.lib;
