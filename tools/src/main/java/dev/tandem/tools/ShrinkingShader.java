package dev.tandem.tools;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.shade.DefaultShader;
import org.apache.maven.plugins.shade.ShadeRequest;
import org.apache.maven.plugins.shade.Shader;

import java.io.IOException;
import java.util.List;

/**
 * The shade plugin's shader with the shrinker after it: {@code <shaderHint>shrink-sdk</shaderHint>} in a shade
 * execution whose transformers include one {@link KeepOperations}, and this module as a dependency of the plugin
 * (registered in {@code META-INF/plexus/components.xml}).
 *
 * <p>Why a shader: the shrinker must run after shade in the same {@code package} phase, and the offline repository holds
 * no plugin that runs Java code (exec-maven-plugin is absent, and the cached maven-antrun-plugin 1.3 lacks its own
 * dependencies). Running inside shade also writes the jar under the name shade gives it, and keeps the shrinker off
 * the module's own classpath, so it can never end up in the deployable.
 */
public final class ShrinkingShader implements Shader {
    private final Shader shade = new DefaultShader();

    @Override
    public void shade(ShadeRequest request) throws IOException, MojoExecutionException {
        List<KeepOperations> keep = request.getResourceTransformers().stream()
                .filter(KeepOperations.class::isInstance).map(KeepOperations.class::cast).toList();
        if (keep.size() != 1) {
            throw new MojoExecutionException("shaderHint shrink-sdk needs exactly one " + KeepOperations.class.getName()
                    + " transformer in the shade execution; found " + keep.size());
        }
        KeepRules rules = keep.get(0).rules();
        shade.shade(request);
        System.out.println(Shrink.run(request.getUberJar().toPath(), request.getUberJar().toPath(), rules,
                ClassLoader.getPlatformClassLoader()));
    }
}
