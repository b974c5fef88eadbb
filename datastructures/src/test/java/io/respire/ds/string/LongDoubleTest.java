package io.respire.ds.string;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected results were recorded from INCRBYFLOAT on redis-server 7.0.15 (x86-64). */
class LongDoubleTest {

    private static LongDouble parse(String s) {
        return LongDouble.parse(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** What INCRBYFLOAT replies for stored value {@code a} and increment {@code b}. */
    private static String incrbyfloat(String a, String b) {
        LongDouble x = parse(a);
        LongDouble y = parse(b);
        if (x == null || y == null) {
            return "INVALID";
        }
        LongDouble sum = x.add(y);
        return sum.isFinite() ? sum.toHumanString() : "NAN_OR_INF";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'10.5' | '0.1' | 10.6",
            "'0' | '0.1' | 0.1",
            "'0' | '0.000003814697265625' | 0.00000381469726562",
            "'0' | '0.0000038146972656250' | 0.00000381469726562",
            "'0' | '1e-20' | 0",
            "'0' | '-1e-20' | 0",
            "'0' | '3.0e3' | 3000",
            "'0' | '1e30' | 1000000000000000000024696061952",
            "'0' | '1e5000' | INVALID",
            "'0' | '1e-4950' | 0",
            "'0' | '1e-5000' | INVALID",
            "'0' | '0x1p-3' | 0.125",
            "'0' | '0x1.8p1' | 3",
            "'0' | '0X10' | 16",
            "'0' | '0x' | INVALID",
            "'0' | 'inf' | NAN_OR_INF",
            "'0' | '-INF' | NAN_OR_INF",
            "'0' | 'infinity' | NAN_OR_INF",
            "'0' | 'nan' | INVALID",
            "'0' | '1e' | INVALID",
            "'0' | '.5' | 0.5",
            "'0' | '5.' | 5",
            "'0' | '.' | INVALID",
            "'0' | '+3' | 3",
            "'0' | '-0' | 0",
            "'0' | '00012.50' | 12.5",
            "'1.5' | '1.5' | 3",
            "'17179869184' | '1.5' | 17179869185.5",
            "'0' | '0.1' | 0.1",
            "'0.1' | '0.2' | 0.3",
            "'3.14159265358979323846' | '0' | 3.14159265358979324",
            "'0' | '123456789012345678901234567890.123' | 123456789012345678899921813504",
            "'0' | '0.30000000000000000001' | 0.3",
            "'0' | '12345678901234567.891' | 12345678901234567.890625",
            "'0' | '1.0000000000000000001' | 1",
            "'0' | '9223372036854775807' | 9223372036854775807",
            "'0' | '18446744073709551615' | 18446744073709551615",
            "'0' | '18446744073709551617' | 18446744073709551616",
            "'0' | '0.02439024390243902' | 0.02439024390243902",
            "'0.02439024390243902' | '-0.02439024390243902' | 0",
            "'5.0e3' | '-0.1' | 4999.89999999999999991",
            "'-5' | '0.00000000000000001' | -4.99999999999999999",
            "'-5' | '0.000000000000000015' | -4.99999999999999998",
            "'0' | '0.000000000000000005' | 0",
            "'0' | '0.000000000000000015' | 0.00000000000000002",
            "'0' | '0.000000000000000025' | 0.00000000000000002",
            "'0' | '1.5e-17' | 0.00000000000000002",
            "'0' | '2.5e-17' | 0.00000000000000002",
            "'0' | '0x1p-16445' | 0",
            "'0' | '0x1p-16446' | INVALID",
            "'0' | '0x1.8p-16446' | 0",
            "'0' | '1.18973149535723176508e+4932' | INVALID",
            "'0' | '1.19e4932' | INVALID",
            "'1' | '0x1p-70' | 1",
            "'1' | '-0x1p-70' | 1",
            "'0' | '1e1' | 10",
            "'0' | '1E+1' | 10",
            "'0' | '1e-1' | 0.1",
            "'0' | '1e+' | INVALID",
            "'0' | ' 1' | INVALID",
            "'0' | '1 ' | INVALID",
            "'0' | '0x1.fffffffffffffffep0' | 2",
            "'0' | '0x1.ffffffffffffffffp0' | 2",
            "'0' | '0x.8' | 0.5",
            "'0' | '0x1p' | INVALID",
            "'0' | '-.5e-1' | -0.05",
    })
    void matchesRedis(String value, String increment, String expected) {
        assertEquals(expected, incrbyfloat(value, increment));
    }

    @Test
    void hugeValuesPrintAllTheirDigits() {
        assertDigits("1797693134862315699959210467741044340483", 309, "1208117720159985926376802466863339536384", incrbyfloat("0", "1.7976931348623157e308"));
        assertDigits("9999999999999999999965463873099623784932", 4000, "1956972190272729951206648276349901340672", incrbyfloat("0", "1e4000"));
        assertDigits("1189731495357231765021263853030970205169", 4933, "8849149662444156604419552086811989770240", incrbyfloat("0", "1.18973149535723176502e4932"));
    }

    private static void assertDigits(String head, int length, String tail, String actual) {
        assertEquals(length, actual.length());
        assertTrue(actual.startsWith(head), actual);
        assertTrue(actual.endsWith(tail), actual);
    }

    @Test
    void rejectsWhatString2ldRejects() {
        assertNull(parse(""));
        assertNull(parse("1\u00002"));
        assertNull(parse("\t1"));
        assertNull(parse("-"));
        assertNull(parse("infinit"));
        assertNull(parse("-nan"));
        assertNull(parse("1.2.3"));
        assertNull(parse("1e99999999999999999999999"));
        assertNull(parse("1" + "0".repeat(5119)));
        LongDouble longInput = parse("1" + "0".repeat(5100) + "e-5000"); // 5107 characters: short enough
        assertNotNull(longInput);
        assertEquals("9999999999999999999669353532207342619498699019828496079271391541752018669482644324418977840117055488",
                longInput.toHumanString());
        assertEquals("0", parse("0e99999999999999999999999").toHumanString());
    }

    @Test
    void infinitiesAndNaN() {
        LongDouble inf = parse("+Infinity");
        assertFalse(inf.isFinite());
        assertTrue(inf.add(parse("-inf")).isNaN());
        assertEquals("inf", inf.add(parse("1")).toHumanString());
        assertEquals("-inf", parse("-inf").toHumanString());
        // Overflow by addition: twice LDBL_MAX.
        LongDouble max = parse("0x1.fffffffffffffffep16383");
        assertTrue(max.isFinite());
        assertFalse(max.add(max).isFinite());
    }

    @Test
    void longsConvertExactly() {
        assertEquals("-9223372036854775808", LongDouble.of(Long.MIN_VALUE).toHumanString());
        assertEquals("9223372036854775807", LongDouble.of(Long.MAX_VALUE).toHumanString());
        assertEquals("0", LongDouble.of(0).toHumanString());
    }
}
