package org.apache.maven.plugin;

/**
 * A compile-time stand-in for maven-plugin-api's exception, which {@code Shader.shade} declares: the offline repository
 * does not hold maven-plugin-api, and javac needs the class to compile a {@code Shader}. Never packaged (this module's
 * jar excludes {@code org/**}); inside the plugin, Maven's own class is the one loaded.
 */
public class MojoExecutionException extends Exception {
    private static final long serialVersionUID = 1L;

    public MojoExecutionException(String message) {
        super(message);
    }
}
