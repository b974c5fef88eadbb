package io.respire.conformance;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs {@link Differential} methods once per protocol and hands each run a {@link Dual}. The two
 * servers live in the root store, so they start once for the whole test run and stop at its end;
 * each Dual is closed when its test method ends.
 */
final class DifferentialExtension implements TestTemplateInvocationContextProvider {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DifferentialExtension.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getTestMethod(), Differential.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Differential settings = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), Differential.class).orElseThrow();
        return Arrays.stream(settings.protocols()).mapToObj(ProtocolRun::new);
    }

    /** The servers shared by every differential test in this JVM. */
    static DifferentialServers servers(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(DifferentialServers.class, k -> DifferentialServers.start(), DifferentialServers.class);
    }

    private record ProtocolRun(int protocol) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "RESP" + protocol;
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new DualResolver(protocol));
        }
    }

    private record DualResolver(int protocol) implements BeforeEachCallback, ParameterResolver {
        /** Skips or fails here, before parameters are resolved: an abort there would count as an error. */
        @Override
        public void beforeEach(ExtensionContext context) {
            servers(context).requireAvailable();
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Dual.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            DifferentialServers servers = servers(context);
            servers.reset();
            Dual dual = servers.connect(protocol);
            context.getStore(NAMESPACE).put(Dual.class, dual);
            return dual;
        }
    }
}
