package dev.tandem.aws;

import java.util.Map;
import java.util.Objects;

/**
 * A function's configuration, read once at start from the environment that template.yaml sets.
 * A missing variable fails at start and names the variable; nothing falls back to a made-up default.
 */
public final class Env {
    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Objects.requireNonNull(vars, "vars");
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public String require(String name) {
        String v = vars.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set (template.yaml sets it)");
        }
        return v;
    }

    public int requireInt(String name) {
        String v = require(name);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a whole number, not " + v);
        }
    }

    public double requireDouble(String name) {
        String v = require(name);
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a number, not " + v);
        }
    }

    /** For variables a template leaves empty on purpose, such as an optional SMS origination number. */
    public String optional(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
