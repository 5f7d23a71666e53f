package com.example.tv;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The published jars on the module path: each has its stable module name, core's descriptor exports
 * only its API, and the whole set (with Jetty, SLF4J, the servlet API and Micrometer) resolves and
 * loads in one layer, which fails on a split package.
 */
class ModuleNamesTest {

    @Test
    void everyArtifactHasItsModuleNameAndTheyLoadTogether() {
        Path[] jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> {
                    String name = p.getFileName().toString();
                    return name.endsWith(".jar") && (name.startsWith("acestream-proxy-") || name.startsWith("jetty-")
                            || name.startsWith("slf4j-") || name.startsWith("jakarta.") || name.startsWith("micrometer-")
                            || name.startsWith("HdrHistogram") || name.startsWith("LatencyUtils"));
                })
                .toArray(Path[]::new);
        ModuleFinder finder = ModuleFinder.of(jars);
        Set<String> roots = Set.of("dev.aceproxy.core", "dev.aceproxy.jetty", "dev.aceproxy.micrometer",
                "dev.aceproxy.testkit");
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), roots);
        Map<String, ModuleDescriptor> resolved = cf.modules().stream().map(ResolvedModule::reference)
                .map(r -> r.descriptor()).collect(Collectors.toMap(ModuleDescriptor::name, Function.identity()));
        assertTrue(resolved.keySet().containsAll(roots), resolved.keySet().toString());

        ModuleDescriptor core = resolved.get("dev.aceproxy.core");
        assertFalse(core.isAutomatic(), "core has a module-info");
        Set<String> exported = core.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertTrue(exported.containsAll(Set.of("dev.aceproxy.engine", "dev.aceproxy.ts", "dev.aceproxy.fanout",
                "dev.aceproxy.registry")), exported.toString());
        assertTrue(exported.stream().noneMatch(p -> p.contains(".internal")), "no internal package exported: " + exported);
        assertTrue(core.packages().stream().anyMatch(p -> p.contains(".internal")), "core has internal packages");
        for (String name : List.of("dev.aceproxy.jetty", "dev.aceproxy.micrometer", "dev.aceproxy.testkit")) {
            assertTrue(resolved.get(name).isAutomatic(), name + " is named by its Automatic-Module-Name");
        }

        // Defining the layer checks that no two modules of a class loader hold the same package.
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
        assertTrue(layer.findModule("dev.aceproxy.jetty").isPresent());
    }
}
