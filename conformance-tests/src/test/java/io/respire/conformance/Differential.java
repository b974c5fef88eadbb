package io.respire.conformance;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a differential test: the method takes a {@link Dual} and runs once per protocol (RESP2,
 * then RESP3 after HELLO 3), each time on freshly emptied servers and new connections.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(DifferentialExtension.class)
@interface Differential {
    /** The protocol versions to run in. */
    int[] protocols() default {2, 3};
}
