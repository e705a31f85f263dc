package dev.tandem.tools;

import org.apache.maven.plugins.shade.relocation.Relocator;
import org.apache.maven.plugins.shade.resource.ReproducibleResourceTransformer;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;

/**
 * The shrinker's rules as the shade plugin's configuration carries them: a transformer that transforms nothing, there
 * because a shade execution's {@code <transformers>} is the one place the plugin passes a module's own settings on to
 * its shader ({@link ShrinkingShader}).
 *
 * <pre>{@code
 * <transformer implementation="dev.tandem.tools.KeepOperations">
 *   <operations>
 *     <sesv2>SendEmail, GetAccount</sesv2>
 *   </operations>
 * </transformer>
 * }</pre>
 */
public final class KeepOperations implements ReproducibleResourceTransformer {
    /** Service package name ({@code sesv2}) to its operations, as the SDK names them, comma-separated. */
    private Map<String, String> operations = new LinkedHashMap<>();

    KeepRules rules() {
        List<String> rules = new ArrayList<>();
        operations.forEach((service, ops) -> rules.add(service + "=" + ops));
        return KeepRules.parse(rules);
    }

    @Override
    public boolean canTransformResource(String resource) {
        return false;
    }

    @Override
    public void processResource(String resource, InputStream is, List<Relocator> relocators, long time) {
        // never asked: it claims no resource
    }

    @Override
    public void processResource(String resource, InputStream is, List<Relocator> relocators) {
        // never asked: it claims no resource
    }

    @Override
    public boolean hasTransformedResource() {
        return false;
    }

    @Override
    public void modifyOutputStream(JarOutputStream os) {
        // nothing to add
    }
}
